"""Request-body validation that answers 400, never 500, for bodies that are not UTF-8 JSON."""
from __future__ import annotations

from typing import Any

from connexion.datastructures import MediaTypeDict
from connexion.exceptions import BadRequestProblem
from connexion.validators import VALIDATOR_MAP, JSONRequestBodyValidator


class StrictJSONRequestBodyValidator(JSONRequestBodyValidator):
    async def _parse(self, stream: Any, scope: Any) -> Any:
        try:
            return await super()._parse(stream, scope)
        except UnicodeDecodeError as exc:
            raise BadRequestProblem(detail=f"Request body is not valid UTF-8: {exc.reason}") from exc


# a key passed to connexion replaces that whole section, so spread the defaults
VALIDATOR_MAP_STRICT = {
    **VALIDATOR_MAP,
    "body": MediaTypeDict({**VALIDATOR_MAP["body"], "*/*json": StrictJSONRequestBodyValidator}),
}
