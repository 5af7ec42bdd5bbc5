"""`govrules schema`: the JSON Schema of an input file, in the words of a policy.

The vocabulary is the schema: an OA system or an editor validating a document before it
reaches govrules needs the policy's own document kinds, conditions and actions, not the
bundled policy's.
"""

from __future__ import annotations

from pathlib import Path

import click

from govrules.cli.main import cli
from govrules.cli.options import policy_option


@cli.command()
@click.argument("name", type=click.Choice(["document", "plan", "org", "calendar"]))
@policy_option
def schema(name: str, policy: Path | None) -> None:
    """输入文件的 JSON Schema（按策略的词汇）/ an input file's JSON Schema, in the policy's
    words."""
    from govrules.engine import Policy
    from govrules.inputs.schema import json_schemas, render_schema

    words = Policy.load(policy).vocabulary
    click.echo(render_schema(json_schemas(words)[name]), nl=False)
