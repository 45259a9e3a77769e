"""The floor and Hugo for county.py: a Markdown corpus, a plain Jinja2 + Markdown loop, Hugo.

Run as a script, ``python bench/_floor.py CORPUS OUT`` renders every Markdown file of
``CORPUS/content`` into ``OUT`` in one process and prints how many pages it wrote.
"""

from __future__ import annotations

import shutil
import sys
from datetime import date
from pathlib import Path

import jinja2
import markdown
import yaml

CORPUS_VERSION = 1
# The extensions Gongkai itself uses (gongkai/read/markup.py).
EXTENSIONS = ["tables", "sane_lists", "fenced_code"]
PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} - {{ site }}</title><link rel="stylesheet" href="/style.css"></head>
<body><header><a href="/">{{ site }}</a></header>
<main><article><h1>{{ title }}</h1><p class="date">{{ date }}</p>
<p class="summary">{{ summary }}</p>
{{ body | safe }}
</article></main><footer>{{ site }}</footer></body></html>
"""
HUGO_CONFIG = """baseURL = "https://sanwu.example.cn/"
languageCode = "zh-CN"
title = "青山县村级“三务”公开"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
"""
HUGO_SINGLE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} - {{ site.Title }}</title><link rel="stylesheet" href="/style.css"></head>
<body><header><a href="/">{{ site.Title }}</a></header>
<main><article><h1>{{ .Title }}</h1><p class="date">{{ .Date.Format "2006-01-02" }}</p>
<p class="summary">{{ .Params.summary }}</p>
{{ .Content }}
</article></main><footer>{{ site.Title }}</footer></body></html>
"""
HUGO_LIST = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1><p>{{ len .Pages }}</p>
<ul>{{ range first 50 .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</body></html>
"""
SITE_TITLE = "青山县村级“三务”公开"


def sample_disclosures(sample: Path) -> list[tuple[dict[str, object], str]]:
    """The front matter (title, date, summary) and body of every sample disclosure."""
    found = []
    for path in sorted((sample / "content").glob("*/*/*.md")):
        _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(head)
        found.append(({key: meta[key] for key in ("title", "date", "summary")}, body))
    return found


def write_corpus(sample: Path, corpus: Path, pages: int) -> None:
    """Write pages Markdown files with small front matter, from the sample's disclosures."""
    if corpus.exists():
        shutil.rmtree(corpus)
    folder = corpus / "content" / "p"
    folder.mkdir(parents=True)
    disclosures = sample_disclosures(sample)
    for index in range(pages):
        meta, body = disclosures[index % len(disclosures)]
        head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        (folder / f"{index + 1:06d}.md").write_text(f"---\n{head}---\n{body}", encoding="utf-8")
    (corpus / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    layouts = corpus / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(HUGO_LIST, encoding="utf-8")


def render_all(content: Path, out: Path) -> int:
    """Render every Markdown file under content to HTML under out; return the count."""
    template = jinja2.Environment(autoescape=True).from_string(PAGE)
    converter = markdown.Markdown(extensions=EXTENSIONS)
    written = 0
    for source in sorted(content.rglob("*.md")):
        _, head, body = source.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(head)
        day = meta["date"]
        html = template.render(site=SITE_TITLE, title=meta["title"], summary=meta["summary"],
                               date=day.isoformat() if isinstance(day, date) else day,
                               body=converter.reset().convert(body))
        target = out / source.relative_to(content).with_suffix(".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        written += 1
    return written


def main(argv: list[str]) -> int:
    """Render CORPUS/content into OUT (emptied first) and print the page count."""
    corpus, out = Path(argv[0]), Path(argv[1])
    if out.exists():
        shutil.rmtree(out)
    print(render_all(corpus / "content", out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
