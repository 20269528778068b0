"""Exported documents: PDFs and CSVs produced by a Celery worker from export jobs.

- registry.py: the kinds of document (a template and a context builder each);
  another app (exercises) registers its own kinds in its AppConfig.ready.
- rendering.py: HTML → PDF with WeasyPrint, one font configuration per process,
  a URL fetcher that serves only the app's own static files.
- documents.py: the documents clients owns (treatment plan, session summary,
  caseload report).
- services.py: request, run, retry and sweep export jobs.
"""
