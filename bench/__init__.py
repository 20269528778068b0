"""`make bench`: the app measured against floors measured in the same run.

bench.harness  the method (interleaved rounds, paired ratios, noisy floors), the
               section registry, the table and bench/results.json
bench.seed     the large clinic on its own PostgreSQL database
bench.pages    pages in process through the full middleware (floor: /ping)
bench.http     gunicorn under wrk on 127.0.0.1 (floor: /ping)
bench.queue    a no-op task's round trip through Redis and a real worker
bench.pdf      PDFs against a one-paragraph WeasyPrint page; export round trips
Feature modules (bench.caseload, bench.exercises, ...) register cases, sections
or seeders on import; bench/__main__.py imports every module in BENCH_MODULES that exists.
"""
