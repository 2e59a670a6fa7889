"""Requests to Dash's callback endpoint, built as the renderer builds them, for tests without a browser."""

from __future__ import annotations

from typing import Any

UPDATE = "/_dash-update-component"
# The map's server callback: the hub's links for the browser to filter by year and sectors.
MAP_SOURCE = "map-source"
MAP = f"{MAP_SOURCE}.data"
MAP_CONTROLS = ("home", "focus", "lang", "present", "contrast", "unconfirmed")


def server_callbacks(client: Any) -> list[dict]:
    """Every callback that runs on the server, as /_dash-dependencies lists it."""
    return [dep for dep in client.get("/_dash-dependencies").get_json() if not dep.get("clientside_function")]


def find_callback(callbacks: list[dict], output: str) -> dict:
    return next(dep for dep in callbacks if dep["output"] == output)


def output_specs(output: str) -> list[Any] | dict[str, Any]:
    """The `outputs` of a request; a pattern-matching output (ALL) is sent matching no component."""
    if output.startswith(".."):
        return [output_specs(part) for part in output[2:-2].split("...")]
    component, prop = output.rsplit(".", 1)
    if component.startswith("{"):
        return []
    return {"id": component, "property": prop.split("@")[0]}


def callback_body(dependency: dict, values: list[Any]) -> dict[str, Any]:
    """A request for `dependency` with `values` for its inputs, then its states, in order."""
    items = [
        {"id": item["id"], "property": item["property"], "value": value}
        for item, value in zip([*dependency["inputs"], *dependency["state"]], values, strict=True)
    ]
    count = len(dependency["inputs"])
    return {
        "output": dependency["output"],
        "outputs": output_specs(dependency["output"]),
        "inputs": items[:count],
        "state": items[count:],
        "changedPropIds": [f"{items[0]['id']}.{items[0]['property']}"],
    }


def value_count(dependency: dict) -> int:
    return len(dependency["inputs"]) + len(dependency["state"])
