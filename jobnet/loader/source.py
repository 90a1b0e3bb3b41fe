"""The records of a data file, one at a time, so a large file is never held in memory whole.

A YAML file is read as libyaml's event stream (PyYAML's C parser): one record is built, checked and
written, then dropped. ``sections()`` walks the file once to name its sections; ``records(section)``
walks on from where the last section ended, and starts again from the top only for a section that
stands before it in the file, so a file in the loader's order (docs/datafile.md) is read twice in
all. A JSON file, and a mapping given to ``load`` directly, are already whole in memory.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from jobnet.errors import LoadError

_ContainerStart = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_ContainerEnd = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class MappingSource:
    """The sections of a mapping that is already in memory."""

    def __init__(self, data: Any) -> None:
        if not isinstance(data, dict):
            raise LoadError("the file must be a mapping of sections")
        self._data = data

    def sections(self) -> list[str]:
        return [str(name) for name in self._data]

    def records(self, section: str) -> Iterator[Any]:
        records = self._data.get(section) or []
        if not isinstance(records, list):
            raise LoadError(f"{section}: must be a list")
        yield from records


class YamlSource:
    """The sections of a YAML file, read as a stream of events."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: BinaryIO | None = None
        self._loader: Any = None

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file, self._loader = None, None

    def sections(self) -> list[str]:
        names: list[str] = []
        loader = self._open()
        try:
            while (name := self._next_key(loader)) is not None:
                names.append(name)
                self._skip(loader)
        finally:
            self.close()
        return names

    def records(self, section: str) -> Iterator[Any]:
        loader = self._seek(section)
        if loader is None:
            return
        event = loader.get_event()
        if isinstance(event, yaml.ScalarEvent) and _value(loader, event) is None:
            return  # `bookinger:` with nothing after it: no records
        if not isinstance(event, yaml.SequenceStartEvent):
            raise LoadError(f"{section}: must be a list")
        anchors: dict[str, Any] = {}
        try:
            while not loader.check_event(yaml.SequenceEndEvent):
                record = _build(loader, loader.get_event(), anchors)
                yield record
            loader.get_event()
        except yaml.YAMLError as exc:
            raise _not_yaml(self.path, exc) from None

    # --- walking the stream ---
    def _open(self) -> Any:
        self.close()
        self._file = self.path.open("rb")
        loader = self._loader = yaml.CSafeLoader(self._file)
        try:
            loader.get_event()  # stream start
            if loader.check_event(yaml.StreamEndEvent):
                raise LoadError(f"{self.path}: the file is empty")
            loader.get_event()  # document start
            if loader.check_event(yaml.ScalarEvent) and _value(loader, loader.peek_event()) is None:
                raise LoadError(f"{self.path}: the file is empty")
            if not loader.check_event(yaml.MappingStartEvent):
                raise LoadError(f"{self.path}: the file must be a mapping of sections")
            loader.get_event()
        except yaml.YAMLError as exc:
            raise _not_yaml(self.path, exc) from None
        return loader

    def _seek(self, section: str) -> Any:
        """The loader just before ``section``'s value; None if the file has no such section."""
        for restarted in (False, True):
            loader = self._loader if self._loader is not None and not restarted else self._open()
            while (name := self._next_key(loader)) is not None:
                if name == section:
                    return loader
                self._skip(loader)
            self.close()
            if restarted:
                return None
        return None

    def _next_key(self, loader: Any) -> str | None:
        try:
            if loader.check_event(yaml.MappingEndEvent):
                return None
            event = loader.get_event()
        except yaml.YAMLError as exc:
            raise _not_yaml(self.path, exc) from None
        if not isinstance(event, yaml.ScalarEvent):
            raise LoadError(f"{self.path}: the file must be a mapping of sections")
        return str(_value(loader, event))

    def _skip(self, loader: Any) -> None:
        """Past one value (scalar, alias, or a whole mapping or list)."""
        depth = 0
        try:
            while True:
                event = loader.get_event()
                if isinstance(event, _ContainerStart):
                    depth += 1
                elif isinstance(event, _ContainerEnd):
                    depth -= 1
                if depth == 0:
                    return
        except yaml.YAMLError as exc:
            raise _not_yaml(self.path, exc) from None


def _build(loader: Any, event: Any, anchors: dict[str, Any]) -> Any:
    """The Python value that starts with ``event`` (as yaml.safe_load would build it)."""
    if isinstance(event, yaml.AliasEvent):
        if event.anchor not in anchors:
            raise yaml.YAMLError(f"found undefined alias {event.anchor}")
        return anchors[str(event.anchor)]
    value: Any
    if isinstance(event, yaml.ScalarEvent):
        value = _value(loader, event)
    elif isinstance(event, yaml.SequenceStartEvent):
        value = []
        while not loader.check_event(yaml.SequenceEndEvent):
            value.append(_build(loader, loader.get_event(), anchors))
        loader.get_event()
    else:  # a mapping
        value = {}
        while not loader.check_event(yaml.MappingEndEvent):
            key = _build(loader, loader.get_event(), anchors)
            value[key] = _build(loader, loader.get_event(), anchors)
        loader.get_event()
    if event.anchor is not None:
        anchors[event.anchor] = value
    return value


def _value(loader: Any, event: Any) -> Any:
    tag = event.tag if event.tag not in (None, "!") else loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag == "tag:yaml.org,2002:str":
        return event.value
    construct = loader.yaml_constructors.get(tag)
    if construct is None:
        raise yaml.constructor.ConstructorError(None, None, f"unknown tag {tag}", event.start_mark)
    return construct(loader, yaml.ScalarNode(tag, event.value, style=event.style))


def _not_yaml(path: Path, exc: yaml.YAMLError) -> LoadError:
    return LoadError(f"{path}: not valid YAML: " + " ".join(str(exc).split()))
