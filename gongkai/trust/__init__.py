"""Stage 7, trust: the seal log, content held to it, sealing, verifying, SSH signatures.

Rule: imports the stages below it. Reads and appends to ``history/``; writes into a
staging folder only when ``build`` asks.
"""
