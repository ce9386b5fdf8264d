from typing import Annotated

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

# Identifiers as the databases store them (64-bit); larger numbers cannot name anything.
ObjectId = Annotated[int, Field(ge=1, le=9_223_372_036_854_775_807)]


def printable(text: str, limit: int = 100) -> str:
    """Query text as a database can take it: no NUL characters, bounded length."""
    return text.replace("\x00", "")[:limit]


class BoundedPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000)
        offset: int = Field(0, ge=0, le=10_000_000)


class ErrorOut(Schema):
    detail: str
    code: str = ""


class ValidationErrorOut(Schema):
    detail: str
    code: str = "invalid"
    errors: dict[str, list[str]]
