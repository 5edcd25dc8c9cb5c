"""Reports: the JSON contract of formats.md, built from an annotated conversation."""

from analyzer.report.builder import build_report, dumps_report, report_filename, write_atomic

__all__ = ["build_report", "dumps_report", "report_filename", "write_atomic"]
