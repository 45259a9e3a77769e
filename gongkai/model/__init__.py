"""Stage 3, model: configuration, schemas, charts, canonical content, addresses, outputs.

Also the validation messages. Rule: imports ``core`` and ``read``. No I/O except reading
the packaged charts of accounts.
"""
