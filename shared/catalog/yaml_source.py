"""Strict YAML reading for catalog files, and finding the line of a path inside a file.

Strict because YAML 1.1 guesses: `on`/`no` become booleans, `0.50` becomes a float, and a
repeated key silently wins. Here only true/false are booleans, numbers with a point stay text
(money and ratios are read exactly later), and a repeated key is an error.
"""

import re
from collections.abc import Sequence
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


class StrictLoader(yaml.SafeLoader):
    pass


StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def _construct_mapping_without_duplicates(loader: StrictLoader, node: MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    lambda loader, node: _construct_mapping_without_duplicates(loader, node, deep=True),
)


def load_yaml(text: str) -> tuple[Any, Node | None]:
    """Parse one YAML document; return the data and its node tree (for line numbers). Raises yaml.YAMLError."""
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, node


def _mapping_child(node: MappingNode, key: str) -> Node | None:
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return value_node
    return None


def locate(root: Node | None, loc: Sequence[str | int]) -> tuple[str, int | None]:
    """Turn a validation location into a readable path ("programmes[0].amount") and the line it is on.

    Segments that are not in the file (pydantic's union-branch and tag names) are left out of the path.
    """
    node, parts = root, []
    line = root.start_mark.line + 1 if root is not None else None
    for segment in loc:
        if isinstance(node, SequenceNode) and isinstance(segment, int) and 0 <= segment < len(node.value):
            node = node.value[segment]
            parts.append(f"[{segment}]")
        elif isinstance(node, MappingNode) and isinstance(segment, str) and _mapping_child(node, segment) is not None:
            node = _mapping_child(node, segment)
            parts.append(f".{segment}" if parts else segment)
        elif isinstance(node, MappingNode) and isinstance(segment, str):
            kind = _mapping_child(node, "kind")
            if isinstance(kind, ScalarNode) and kind.value == segment:
                continue  # discriminator tag of a union member, not a key in the file
            parts.append(f".{segment}" if parts else segment)  # a missing field: report it on its parent's line
            node = None
        elif node is None and isinstance(segment, (str, int)) and not parts:
            parts.append(str(segment))
        else:
            continue
        if node is not None:
            line = node.start_mark.line + 1
    return "".join(parts) or "(document)", line
