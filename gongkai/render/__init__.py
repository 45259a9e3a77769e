"""Stage 6, render: the Jinja environment and its filters, the front-end budgets, QR codes.

Rule: imports the stages below it. Reads templates; ``render()`` is pure.
"""
