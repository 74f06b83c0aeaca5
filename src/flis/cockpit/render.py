"""Jinja2 rendering of the cockpit's shells, with the page context its scripts read as JSON."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from flis import __version__
from flis.access.sessions import Session
from flis.cockpit.headline import headline
from flis.cockpit.i18n import Language, messages
from flis.keyfigures.similarity import METHOD, VARIABLES
from flis.reference.municipalities import municipality


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("flis.cockpit", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _json_for_script(data: Any) -> Markup:
    """JSON safe inside ``<script type="application/json">`` (no ``</script>`` break-out)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def page_context(lang: Language, session: Session | None, **extra: Any) -> dict[str, Any]:
    """What a page's scripts know besides the API: language, texts, who is signed in."""
    p = session.principal if session else None
    own = p.municipality if p else None
    return {
        "lang": lang,
        "messages": messages(lang),
        "user": p.user if p else None,
        "role": p.role.value if p else None,
        "municipality": own,
        "municipalityName": municipality(own).name if own else None,
        "csrf": session.csrf_token if session else None,
        "headline": [a.model_dump() for a in headline().areas],
        "similarity": {"method": METHOD, "variables": {a: list(v) for a, v in VARIABLES.items()}},
        **extra,
    }


def render(
    page: str,
    *,
    lang: Language,
    session: Session | None,
    menu: list[str],
    **extra: Any,
) -> str:
    """The HTML of ``page`` (templates/<page>.html) in ``lang``."""
    context = page_context(
        lang, session, page=page, **{k: v for k, v in extra.items() if k in ("keyfigure",)}
    )
    p = session.principal if session else None
    return (
        _environment()
        .get_template(f"{page}.html")
        .render(
            page=page,
            lang=lang,
            other_lang="en" if lang == "da" else "da",
            t=messages(lang),
            menu=menu,
            principal=p,
            municipality_name=context["municipalityName"],
            csrf=context["csrf"],
            context_json=_json_for_script(context),
            version=__version__,
            **extra,
        )
    )
