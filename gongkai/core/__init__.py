"""Stage 1, core: problems, catalogs, money, dates, numerals, digests, the cache.

Also the patterns of personal numbers and the output names every host can hold.
Rule: imports nothing of gongkai. No I/O except the cache (``.gongkai-cache/``), the
catalogs and ``file_sha256``, which reads the file it digests.
"""
