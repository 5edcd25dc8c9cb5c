"""A Spark job that scores canonical conversation JSON Lines with the analyser.

    spark-submit scripts/spark_score_job.py INPUT_GLOB OUTPUT_DIR [--profile fast]

Writes OUTPUT_DIR/summary and OUTPUT_DIR/findings (Parquet) and OUTPUT_DIR/reports
(JSON Lines: conversation_id, status, error, report). See README, "Spark".
"""

from __future__ import annotations

import argparse

from pyspark.sql import SparkSession

from analyzer.batch import PipelineSpec
from analyzer.spark import score_dataframe


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", help="canonical conversations, one JSON per line (any Spark-readable path/glob)")
    parser.add_argument("output", help="output folder")
    parser.add_argument("--profile", default="default")
    parser.add_argument("--policy", help="disclaimer policy file reachable from the executors")
    parser.add_argument("--redact", action="store_true", help="reports without raw personal data")
    args = parser.parse_args()
    spark = SparkSession.builder.appName("analyzer-score").getOrCreate()
    spec = PipelineSpec(args.profile, policy=args.policy, redact=args.redact)
    result = score_dataframe(spark.read.text(args.input), spec=spec)
    result.summary.write.mode("overwrite").parquet(f"{args.output}/summary")
    result.findings.write.mode("overwrite").parquet(f"{args.output}/findings")
    result.reports.write.mode("overwrite").json(f"{args.output}/reports")
    spark.stop()


if __name__ == "__main__":
    main()
