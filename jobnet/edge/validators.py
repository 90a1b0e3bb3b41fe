"""Request validation as the contract means it, plugged into connexion's validator map.

- A ``pattern`` matches the whole value, as in XSD: JSON Schema's ``$`` would also match before a
  final newline, so ``"0101901234\\n"`` passed the CPR pattern and failed later.
- ``date-time``, ``date`` and ``uuid`` are checked by the formats of ``jobnet.edge.formats``
  (connexion leaves two of them out, and the third would let any year through).
- A JSON body is parsed within bounds: not UTF-8 (or an unknown charset), nested deeper than
  ``MAX_DEPTH``, an integer literal longer than Python converts, or a lone surrogate in a string
  is 400/1014, never a 500 further in.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from connexion.datastructures import MediaTypeDict
from connexion.exceptions import BadRequestProblem
from connexion.json_schema import Draft4RequestValidator, format_error_with_path
from connexion.validators import VALIDATOR_MAP, JSONRequestBodyValidator, ParameterValidator
from jsonschema import Draft4Validator, ValidationError
from jsonschema.validators import extend

from jobnet.edge.formats import FORMATS

MAX_DEPTH = 32  # the deepest body of the contract is 5 levels
_SURROGATE = re.compile("[\ud800-\udfff]")


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _whole_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if isinstance(instance, str) and not _compiled(pattern).fullmatch(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# jsonschema's stubs leave validators.extend unannotated
WholeStringParameters = extend(Draft4Validator, {"pattern": _whole_pattern})  # type: ignore[no-untyped-call]  # see above
WholeStringBodies = extend(Draft4RequestValidator, {"pattern": _whole_pattern})  # type: ignore[no-untyped-call]  # ditto


class StrictParameterValidator(ParameterValidator):  # type: ignore[misc]  # connexion ships no type information
    @staticmethod
    def validate_parameter(parameter_type: str, value: Any, param: dict[str, Any],
                           param_name: str | None = None) -> str | None:
        if value is None:
            return f"Missing {parameter_type} parameter '{param['name']}'" if param.get("required") else None
        try:
            WholeStringParameters(param.get("schema", param), format_checker=FORMATS).validate(value)
        except ValidationError as exc:
            return str(exc.message)
        return None


class StrictJSONRequestBodyValidator(JSONRequestBodyValidator):  # type: ignore[misc]  # connexion: untyped
    @property
    def _validator(self) -> Any:
        return WholeStringBodies(self._schema, format_checker=FORMATS)

    async def _parse(self, stream: Any, scope: Any) -> Any:
        raw = b"".join([chunk async for chunk in stream])
        try:
            text = raw.decode(self._encoding)
        except UnicodeDecodeError as exc:
            raise BadRequestProblem(
                detail=f"Request body is not valid {self._encoding.upper()}: {exc.reason}") from None
        except LookupError:
            raise BadRequestProblem(detail=f"Unknown charset {self._encoding!r}") from None
        if not text:
            return None
        return parse_json(text)

    def _validate(self, body: Any) -> dict[str, Any] | None:
        if not self._nullable and body is None:
            raise BadRequestProblem(detail="Request body must not be empty")
        try:
            return self._validator.validate(body)  # type: ignore[no-any-return]  # connexion's validator: untyped
        except ValidationError as exc:
            raise BadRequestProblem(detail=f"{exc.message}{format_error_with_path(exception=exc)}") from None


def parse_json(text: str) -> Any:
    """``text`` as JSON within the bounds above, or BadRequestProblem."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadRequestProblem(detail=f"Request body is not JSON: {exc.msg} at position {exc.pos}") from None
    except RecursionError:
        raise BadRequestProblem(detail=f"Request body is nested deeper than {MAX_DEPTH} levels") from None
    except ValueError:  # an integer literal longer than int() converts
        raise BadRequestProblem(detail="Request body has a number too long to read") from None
    _require_bounded_tree(value)
    return value


def _require_bounded_tree(value: Any) -> None:
    """Depth and lone surrogates, walked without recursion."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        node, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise BadRequestProblem(detail=f"Request body is nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, str):
            if _SURROGATE.search(node):
                raise BadRequestProblem(detail="Request body has a string that is not valid Unicode")
        elif isinstance(node, dict):
            pending.extend((k, depth) for k in node)
            pending.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            pending.extend((v, depth + 1) for v in node)


# a key passed to connexion replaces that whole section, so spread the defaults
VALIDATOR_MAP_STRICT = {
    **VALIDATOR_MAP,
    "parameter": StrictParameterValidator,
    "body": MediaTypeDict({**VALIDATOR_MAP["body"], "*/*json": StrictJSONRequestBodyValidator}),
}
