// Swagger UI on /docs, from this server's own files: the API description, no validator badge
// (it would ask a server elsewhere to validate the description).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", validatorUrl: null, deepLinking: true });
});
