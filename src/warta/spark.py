"""`warta spark`: the pipeline on Spark, for corpora past one machine (or in local mode on one).

- Plain JSON Lines files are split by Spark (`textFile`); `zipWithIndex` numbers their lines,
  so each record and failure names `path:LINE` exactly as `warta extract` does.
- WARC, gzipped JSON Lines, text and HTML files cannot be split: their paths are spread over
  the cluster and each file is read, streaming, by `warta.read` where it lands.
- Each partition goes through `pipeline.run_records` in an executor's Python worker. The
  models are module-level caches, loaded once per worker, which Spark reuses from task to task.
- Output, in input order: JSON Lines (Spark's part files) or Parquet. Parquet has the record's
  scalar fields and `cited_sources` as columns, and `dateline_place`, `entities`, `quotes` and
  `events` as JSON text. Each record also carries `_minhash`, its body's MinHash signature, which `warta load`
  takes instead of computing it (and does not store). Failures go to `OUTPUT/_failures` as JSON Lines ({"input", "reason"}), which readers
  of the output skip, since the name starts with `_`.
"""
from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from warta.limits import DEFAULT_MAX_BYTES
from warta.pipeline import Options, run_records
from warta.read import JSONL_SUFFIXES, ReadFailure, too_big, expand, jsonl_line, read_file
from warta.store import SIGNATURE_KEY, minhash_signature, signature_text

FORMATS = ("jsonl", "parquet")
PARQUET_JSON = ("dateline_place", "entities", "quotes", "events")  # nested values, written as JSON text


@dataclass(frozen=True, slots=True)
class SparkRun:
    records: int
    failures: int


def _splittable(path: Path) -> bool:
    return path.name.lower().endswith(JSONL_SUFFIXES) and not path.name.lower().endswith(".gz")


def _sources(rows: Iterable[tuple], max_bytes: int) -> Iterator:
    """Rows of the input RDD -> Sources and ReadFailures, as `warta.read` gives them."""
    for row in rows:
        if row[0] == "line":
            _, name, stem, number, raw = row
            if len(raw) > max_bytes:
                yield ReadFailure(f"{name}:{number}", f"line of {too_big(len(raw), max_bytes)}")
            elif raw.strip():
                yield jsonl_line(raw, name, stem, number)
        else:
            yield from read_file(Path(row[1]), max_bytes=max_bytes)


def _partition(rows: Iterable[tuple], options: Options, max_bytes: int) -> Iterator[tuple[str, str]]:
    """One partition through the pipeline: ("record", JSON) or ("failure", JSON) per input."""
    for item in run_records(_sources(rows, max_bytes), options):
        if isinstance(item, ReadFailure):
            yield "failure", json.dumps({"input": item.input, "reason": item.reason}, ensure_ascii=False)
        else:
            # The body's MinHash signature rides along for `warta load`, which would otherwise
            # spend a third of its time computing it on one core.
            record = item[1] | {SIGNATURE_KEY: signature_text(minhash_signature(item[1]["body"]))}
            yield "record", json.dumps(record, ensure_ascii=False)


def _parquet_row(line: str) -> dict:
    record = json.loads(line)
    return {key: json.dumps(value, ensure_ascii=False) if key in PARQUET_JSON else value
            for key, value in record.items()}


def session(master: str = "local[*]"):
    """A Spark session whose Python workers run this interpreter (and so this Warta)."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    return (SparkSession.builder.master(master).appName("warta")
            .config("spark.ui.enabled", "false").config("spark.python.worker.reuse", "true").getOrCreate())


def run_spark(inputs: list[str], output: str, fmt: str = "jsonl", options: Options | None = None,
              master: str = "local[*]", partitions: int | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES) -> SparkRun:
    """Every article in `inputs` through the pipeline on Spark, written to `output`."""
    options = options or Options()
    spark = session(master)
    context = spark.sparkContext
    partitions = partitions or context.defaultParallelism
    pieces, files, failed = [], [], []

    def flush_files() -> None:
        if files:
            pieces.append(context.parallelize([("file", f) for f in files], min(len(files), partitions)))
            files.clear()

    for item in expand(inputs):  # in input order, as `warta extract` reads them
        if isinstance(item, ReadFailure):
            failed.append(item)
        elif item == "-":
            failed.append(ReadFailure("-", "warta spark reads paths, not standard input"))
        elif _splittable(item):
            flush_files()
            name, stem = str(item), item.name.split(".")[0]
            lines = context.textFile(name, minPartitions=partitions, use_unicode=False).zipWithIndex()
            pieces.append(lines.map(lambda pair, name=name, stem=stem: ("line", name, stem, pair[1] + 1, pair[0])))
        else:
            files.append(str(item))
    flush_files()
    if pieces:
        done = context.union(pieces).mapPartitions(partial(_partition, options=options, max_bytes=max_bytes))
    else:
        done = context.emptyRDD()
    done.persist()
    try:
        records = done.filter(lambda kind_json: kind_json[0] == "record").map(lambda kind_json: kind_json[1])
        if fmt == "parquet":
            spark.createDataFrame(records.map(_parquet_row), _parquet_schema()).write.parquet(output)
        else:
            records.saveAsTextFile(output)
        failures = done.filter(lambda kind_json: kind_json[0] == "failure").map(lambda kind_json: kind_json[1])
        from_driver = [json.dumps({"input": f.input, "reason": f.reason}, ensure_ascii=False) for f in failed]
        failures = context.parallelize(from_driver, 1).union(failures) if from_driver else failures
        failures.coalesce(1).saveAsTextFile(output.rstrip("/") + "/_failures")
        return SparkRun(records=records.count(), failures=failures.count())
    finally:
        done.unpersist()


def _parquet_schema():
    from pyspark.sql.types import ArrayType, LongType, StringType, StructField, StructType

    text = ("id", "source", "url", "language", "title", "published", "dateline", "outlet", "body")
    return StructType([*(StructField(name, StringType()) for name in text),
                       StructField("cited_sources", ArrayType(StringType())),
                       *(StructField(name, StringType()) for name in PARQUET_JSON),
                       StructField("pipeline_version", StringType()), StructField("record_version", LongType()),
                       StructField("input_sha256", StringType()), StructField(SIGNATURE_KEY, StringType())])
