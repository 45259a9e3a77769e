"""Attack corpora: hostile input, pathological Markdown, personal numbers, fuzzing, XSS."""
