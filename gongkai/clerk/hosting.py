"""Which requests the preview answers, and the script it injects to reload on Server-Sent Events.

The server answers only requests addressed to it, so a web page elsewhere cannot reach
it through DNS rebinding (a hostile name re-pointed at 127.0.0.1): the Host header must be
``localhost``, an IP address (which no DNS answer can forge) or the name given with
``--host``, with the port served. A request without Host (HTTP/1.0) is answered only on a
loopback address. Odd request paths (control characters, bad or NUL percent escapes,
``..``, overlong) get 400, and a folder without its final slash a redirect to it.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from urllib.parse import unquote_to_bytes

from gongkai.core.i18n import N_

log = logging.getLogger(__name__)


MAX_PATH = 2048  # far longer than any page of a site; a longer request is an odd one
EVENTS_PATH = "/__gongkai/events"
SCRIPT_PATH = "/__gongkai/live.js"
SCRIPT_TAG = f'<script src="{SCRIPT_PATH}"></script>'
LIVE_SCRIPT = """(function () {
  var box = null;
  function show(lines, title) {
    if (!box) {
      box = document.createElement('div');
      box.setAttribute('role', 'alert');
      box.style.cssText = 'position:fixed;inset:0;z-index:99;overflow:auto;background:#fff;' +
        'color:#1a1a1a;border:6px solid #a61b1b;padding:1rem;font:1rem/1.6 system-ui,sans-serif';
      document.body.appendChild(box);
    }
    box.textContent = '';
    var h = document.createElement('h2');
    h.textContent = title;
    box.appendChild(h);
    lines.forEach(function (line) {
      var p = document.createElement('p');
      p.textContent = line;
      p.style.borderBottom = '1px solid #d8d2c4';
      box.appendChild(p);
    });
  }
  var source = new EventSource('/__gongkai/events');
  var here = decodeURIComponent(location.pathname).replace(/^[/]/, '');
  if (here === '' || here.slice(-1) === '/') { here += 'index.html'; }
  source.addEventListener('reload', function (event) {
    var paths = JSON.parse(event.data).paths;
    if (box || !paths || paths.indexOf(here) >= 0) { location.reload(); }
  });
  source.addEventListener('problems', function (event) {
    var data = JSON.parse(event.data);
    show(data.lines, data.title);
  });
})();
"""


_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
BAD_REQUEST = N_("Bad request: the address is malformed.")
WRONG_HOST = N_("Refused: this preview only answers requests addressed to it, such as {url}")


def request_path(target: str) -> str | None:
    """Decode the path of a request target, or return None for an odd one (answer 400)."""
    if len(target) > MAX_PATH or not target.startswith("/") or _CONTROL.search(target):
        return None
    path = re.split("[?#]", target, maxsplit=1)[0]
    if _BAD_ESCAPE.search(path):
        return None
    try:
        # http.server decodes the request line as Latin-1: these are the bytes sent.
        text = unquote_to_bytes(path.encode("latin-1")).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    if _CONTROL.search(text) or "\\" in text or ".." in text.split("/"):
        return None
    return text


def host_allowed(header: str | None, bound: str, port: int) -> bool:
    """Tell whether a Host header names this preview: localhost, an IP address or ``bound``."""
    if header is None:
        return _is_loopback(bound)
    name, port_text = _split_host(header.strip().lower())
    if name is None or not (port_text.isdigit() if port_text else port == 80):
        return False
    if port_text and (len(port_text) > 5 or int(port_text) != port):
        return False
    if name in ("localhost", bound.lower().strip("[]")):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _split_host(header: str) -> tuple[str | None, str]:
    """Split a Host header into a name (None if malformed) and its port text ("" if none)."""
    if header.startswith("["):
        name, bracket, rest = header[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return None, ""
        try:
            ipaddress.IPv6Address(name)
        except ValueError:
            return None, ""
        return name, rest[1:]
    name, _, port_text = header.partition(":")
    if not name or ":" in port_text:
        return None, ""
    return name, port_text


def _is_loopback(host: str) -> bool:
    """Tell whether the server is bound to a loopback address (only this machine reaches it)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_of(host: str, port: int) -> str:
    """Return the address of a server bound to ``host`` (IPv6 in brackets)."""
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/"
