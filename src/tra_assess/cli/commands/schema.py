from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from tra_assess.cli.support import boundary


class SchemaKind(str, Enum):
    questionnaire = "questionnaire"
    answers = "answers"
    results = "results"
    profile = "profile"


@boundary
def schema_command(
    kind: Annotated[SchemaKind, typer.Argument(help="Which file format to describe.")],
) -> int:
    """Print the JSON Schema of a file format.

    Editors' YAML language servers use it for completion and checks; put this first line in a
    questionnaire file:  # yaml-language-server: $schema=questionnaire.schema.json

    Example: tra-assess schema questionnaire > questionnaire.schema.json
    """
    import json

    if kind is SchemaKind.questionnaire:
        from tra_assess.questionnaire.load import questionnaire_json_schema

        doc = questionnaire_json_schema()
    elif kind is SchemaKind.answers:
        from tra_assess.sources.answers import answers_json_schema

        doc = answers_json_schema()
    elif kind is SchemaKind.profile:
        from tra_assess.questionnaire.profile import profile_json_schema

        doc = profile_json_schema()
    else:
        from tra_assess.results.model import results_json_schema

        doc = results_json_schema()
    doc = {"$schema": "https://json-schema.org/draft/2020-12/schema", **doc}
    typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    return 0
