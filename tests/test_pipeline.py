"""The orchestrator: articles through the stages in batches, failures kept to their article."""
import warta.pipeline as pipeline
from warta.article import Source
from warta.pipeline import Options, process, process_many
from warta.read import ReadFailure


def sources(n):
    return [Source(id=f"a{i}", origin=f"a{i}.txt", text=f"Presiden Rusia Vladimir Putin berbicara ke-{i}.")
            for i in range(n)]


def test_batched_records_equal_one_by_one_records():
    batch = process_many(sources(5), Options())
    single = [process(source, Options()) for source in sources(5)]
    assert [a.to_record() for a in batch] == [a.to_record() for a in single]


def test_a_stage_that_fails_on_one_article_in_a_batch_costs_only_that_article(monkeypatch):
    def picky(article, options):
        if article.source.id == "a2":
            raise ValueError("cannot read this one")

    def picky_batch(articles, options):
        for article in articles:
            picky(article, options)

    picky.batch = picky_batch
    monkeypatch.setattr(pipeline, "STAGES", (*pipeline.STAGES, picky))
    done = process_many(sources(4), Options())
    assert [type(item).__name__ for item in done] == ["Article", "Article", "ReadFailure", "Article"]
    assert isinstance(done[2], ReadFailure) and done[2].input == "a2.txt"
    assert "the picky stage failed: ValueError: cannot read this one" in done[2].reason
    assert done[3].actors.mentions  # the articles after the failure went through every stage


def test_run_keeps_input_order_across_batches_and_read_failures(tmp_path):
    lines = [f'{{"id": "n{i}", "text": "Menlu China Wang Yi bertemu Sergey Lavrov ke-{i}."}}' for i in range(7)]
    lines.insert(3, "not json")
    (tmp_path / "in.jsonl").write_text("\n".join(lines), encoding="utf-8")
    out = list(pipeline.run([str(tmp_path / "in.jsonl")], Options(), batch_size=3))
    names = [item.input if isinstance(item, ReadFailure) else item.source.id for item in out]
    assert names == ["n0", "n1", "n2", f"{tmp_path / 'in.jsonl'}:4", "n3", "n4", "n5", "n6"]


def test_an_article_past_the_time_limit_is_a_failure_and_the_rest_go_on(monkeypatch):
    def stuck_on_a2(article, options):
        while article.source.id == "a2":  # a pathological page: never finishes
            pass

    monkeypatch.setattr(pipeline, "STAGES", (*pipeline.STAGES, stuck_on_a2))
    done = process_many(sources(4), Options(time_limit=0.5))
    assert [type(item).__name__ for item in done] == ["Article", "Article", "ReadFailure", "Article"]
    assert done[2].input == "a2.txt" and "longer than the time limit of 0.5 s" in done[2].reason
    assert all(item.actors.mentions for i, item in enumerate(done) if i != 2)


def test_small_runs_stay_in_this_process_and_records_keep_input_order(tmp_path):
    lines = [f'{{"id": "k{i}", "text": "Presiden Prancis Emmanuel Macron bertemu Kanselir Olaf Scholz ke-{i}."}}'
             for i in range(5)]
    (tmp_path / "in.jsonl").write_text("\n".join(lines[:2] + ["[1]"] + lines[2:]), encoding="utf-8")
    from warta.read import read

    out = list(pipeline.run_records(read([str(tmp_path / "in.jsonl")]), Options(), workers=4, batch_size=2))
    assert [item.input if isinstance(item, ReadFailure) else item[0].id for item in out] == \
        ["k0", "k1", f"{tmp_path / 'in.jsonl'}:3", "k2", "k3", "k4"]
    assert all(item[1]["entities"] for item in out if not isinstance(item, ReadFailure))


def test_a_slow_article_in_a_batch_costs_about_the_time_limit_not_twice_it(monkeypatch):
    import time as clock

    from warta import pipeline
    from warta.article import Source
    from warta.read import ReadFailure

    pipeline.warm_up()  # loading the models is not the articles' time

    def slow_stage(article, options):
        if "LAMBAT" in article.source.text:
            clock.sleep(30)

    monkeypatch.setattr(pipeline, "STAGES", pipeline.STAGES + (slow_stage,))
    text = "Presiden Rusia Vladimir Putin bertemu Presiden China Xi Jinping di Beijing pada Senin."
    sources = [Source(id=f"a{n}", origin=f"a{n}", text=text + (" LAMBAT." if n == 1 else "")) for n in range(3)]
    started = clock.monotonic()
    done = pipeline.process_many(sources, pipeline.Options(time_limit=2.0))
    seconds = clock.monotonic() - started
    assert isinstance(done[1], ReadFailure) and "time limit of 2 s" in done[1].reason
    assert [d.source.id for d in (done[0], done[2])] == ["a0", "a2"]
    assert seconds < 2.0 * 1.1 + 0.5, seconds  # the limit, 10%, and the two others run again
