"""Starting text for every page and home-page block, in the five languages (data/pages.json)."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from .models import SHARED
from .queries import find_text
from .services import save_text

DATA = Path(__file__).parent / "data" / "pages.json"
SEEDED_AT = datetime(2026, 1, 1, tzinfo=UTC)


def load_demo_content(session: Session) -> int:
    """Publish the seeded text of each page and block as its language's shared text, where that text
    does not exist yet (idempotent; edited texts are left alone). Returns how many were added."""
    added = 0
    for key, by_language in json.loads(DATA.read_text(encoding="utf-8")).items():
        for language, text in by_language.items():
            if find_text(session, key, language=language, market=SHARED) is not None:
                continue
            save_text(session, key=key, language=language, market=SHARED, expected_version=0,
                      title=text["title"], body=text["body"], items=text.get("items", ""), publish_at=SEEDED_AT)
            added += 1
    return added
