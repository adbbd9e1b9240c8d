"""Request bodies: JSON whose text a database can store.

JSON may spell half of a UTF-16 surrogate pair on its own (``"\\ud800"``); Python reads it as a string that
neither SQLite nor PostgreSQL can store or compare, so a body holding one is refused here, for every operation,
before any of them reads it. A pair (an emoji written as two escapes) is one ordinary character.
"""

import json
import re

from ninja.parser import Parser

_SURROGATE = re.compile("[\ud800-\udfff]")


class LoneSurrogate(ValueError):
    """The body's text holds a lone surrogate; the API answers 400 (``sigap.api.errors``)."""


def _has_lone_surrogate(data) -> bool:
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return True
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False


class JsonParser(Parser):
    def parse_body(self, request):
        data = json.loads(request.body)
        if _has_lone_surrogate(data):
            raise LoneSurrogate
        return data
