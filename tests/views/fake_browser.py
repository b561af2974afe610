"""A fake of the little of the browser the page's panels touch, for driving them under CPython.

Installed as the modules `js`, `pyodide` and `pyodide.ffi` (see conftest.py), so that
`studio/browser/ui` imports as it does in the page. Elements keep attributes, children, classes,
`dataset`, `style` and listeners; `querySelector` understands one compound selector
(`tag.class[attr="value"]`) with descendant steps. Events are dispatched to the target's own
listeners and then bubble to its ancestors. Nothing here lays out or paints: tests of what a
person sees stay in the Chromium suite; these test what the panels decide.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from typing import Any


class JsNull:
    """Pyodide's null."""


class JsException(Exception):
    pass


class _Style:
    def __init__(self) -> None:
        object.__setattr__(self, "_values", {})

    def __setattr__(self, name: str, value: Any) -> None:
        self._values[name] = str(value)

    def __getattr__(self, name: str) -> str:
        return self._values.get(name, "")

    def setProperty(self, name: str, value: str) -> None:
        self._values[name] = str(value)

    def removeProperty(self, name: str) -> None:
        self._values.pop(name, None)


class _Dataset:
    def __init__(self, element: Element) -> None:
        object.__setattr__(self, "_element", element)

    @staticmethod
    def _attr(name: str) -> str:
        return "data-" + re.sub(r"[A-Z]", lambda m: "-" + m.group(0).lower(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._element.setAttribute(self._attr(name), str(value))

    def __getattr__(self, name: str) -> Any:
        value = self._element.getAttribute(self._attr(name))
        return None if value is None else value  # undefined in the page: None here

    def __delattr__(self, name: str) -> None:
        self._element.removeAttribute(self._attr(name))


class _ClassList:
    def __init__(self, element: Element) -> None:
        self._element = element

    def _names(self) -> list[str]:
        return (self._element.getAttribute("class") or "").split()

    def _set(self, names: list[str]) -> None:
        self._element.setAttribute("class", " ".join(dict.fromkeys(names)))

    def add(self, *names: str) -> None:
        self._set([*self._names(), *names])

    def remove(self, *names: str) -> None:
        self._set([n for n in self._names() if n not in names])

    def contains(self, name: str) -> bool:
        return name in self._names()

    def toggle(self, name: str, force: bool | None = None) -> bool:
        on = (not self.contains(name)) if force is None else bool(force)
        (self.add if on else self.remove)(name)
        return on


class Event:
    def __init__(self, type: str, **props: Any) -> None:
        self.type = type
        self.target: Any = None
        self.currentTarget: Any = None
        self.defaultPrevented = False
        self._stopped = False
        self.key = ""
        self.shiftKey = self.ctrlKey = self.metaKey = self.altKey = False
        self.button = 0
        self.clientX = self.clientY = 0.0
        for name, value in props.items():
            setattr(self, name, value)

    def preventDefault(self) -> None:
        self.defaultPrevented = True

    def stopPropagation(self) -> None:
        self._stopped = True


class _NodeList:
    def __init__(self, items: list[Any]) -> None:
        self._items = items
        self.length = len(items)

    def item(self, index: int) -> Any:
        return self._items[index]


_COMPOUND = re.compile(r"([a-zA-Z][\w-]*)?((?:\.[\w-]+)*)((?:\[[^\]]+\])*)$")


def _matches_one(element: Element, compound: str) -> bool:
    match = _COMPOUND.match(compound.strip())
    if match is None:
        raise ValueError(f"the fake browser does not understand the selector {compound!r}")
    tag, classes, attrs = match.groups()
    if tag and element.tagName != tag.upper():
        return False
    if any(not element.classList.contains(c) for c in classes.split(".") if c):
        return False
    for attr in re.findall(r"\[([^\]]+)\]", attrs):
        name, eq, value = attr.partition("=")
        actual = element.getAttribute(name.strip())
        if actual is None or (eq and actual != value.strip().strip("\"'")):
            return False
    return True


def _matches(element: Element, selector: str) -> bool:
    for alternative in selector.split(","):
        steps = alternative.split()
        if not steps or not _matches_one(element, steps[-1]):
            continue
        node: Any = element.parentElement
        wanted = steps[:-1]
        while wanted and node is not None:
            if _matches_one(node, wanted[-1]):
                wanted.pop()
            node = node.parentElement
        if not wanted:
            return True
    return False


class Text:
    def __init__(self, data: str) -> None:
        self.textContent = data
        self.parentElement: Element | None = None
        self.nodeType = 3


class Element:
    nodeType = 1

    def __init__(self, tag: str, document: Document) -> None:
        self.tagName = tag.upper()
        self.ownerDocument = document
        self.parentElement: Element | None = None
        self.children_: list[Any] = []
        self._attrs: dict[str, str] = {}
        self._listeners: list[tuple[str, Callable[[Any], Any], bool]] = []
        self.style = _Style()
        self.dataset = _Dataset(self)
        self.classList = _ClassList(self)
        self._value: str | None = None
        self.checked = False
        self.disabled = False
        self.open = False
        self.width = self.height = 0

    # --- attributes ---

    def setAttribute(self, name: str, value: Any) -> None:
        self._attrs[name] = str(value)
        if name in ("checked", "disabled"):
            setattr(self, name, True)

    def getAttribute(self, name: str) -> str | None:
        return self._attrs.get(name)

    def hasAttribute(self, name: str) -> bool:
        return name in self._attrs

    def removeAttribute(self, name: str) -> None:
        self._attrs.pop(name, None)

    @property
    def value(self) -> str:
        """A field's value: what was set, else its `value` attribute; a <select>'s is its chosen option's."""
        if self.tagName == "SELECT":
            options = [e for e in self._descendants() if e.tagName == "OPTION"]
            values = [o.value for o in options]
            if self._value in values:
                return self._value
            chosen = next((o for o in options if o.hasAttribute("selected")), options[0] if options else None)
            return chosen.value if chosen is not None else ""
        if self._value is not None:
            return self._value
        return self._attrs.get("value", self.textContent if self.tagName == "OPTION" else "")

    @value.setter
    def value(self, text: Any) -> None:
        self._value = str(text)

    def contains(self, other: Any) -> bool:
        node = other
        while node is not None:
            if node is self:
                return True
            node = getattr(node, "parentElement", None)
        return False

    @property
    def hidden(self) -> bool:
        return "hidden" in self._attrs

    @hidden.setter
    def hidden(self, on: bool) -> None:
        if on:
            self._attrs["hidden"] = ""
        else:
            self._attrs.pop("hidden", None)

    @property
    def title(self) -> str:
        return self._attrs.get("title", "")

    @title.setter
    def title(self, text: str) -> None:
        self._attrs["title"] = str(text)

    @property
    def type(self) -> str:
        return self._attrs.get("type", "")

    # --- tree ---

    def append(self, *children: Any) -> None:
        for child in children:
            child = Text(child) if isinstance(child, str) else child
            if getattr(child, "parentElement", None) is not None and child in child.parentElement.children_:
                child.parentElement.children_.remove(child)
            child.parentElement = self
            self.children_.append(child)

    def replaceChildren(self, *children: Any) -> None:
        for child in self.children_:
            child.parentElement = None
        self.children_ = []
        self.append(*children)

    def insertBefore(self, child: Any, reference: Any) -> Any:
        self.append(child)
        self.children_.remove(child)
        index = self.children_.index(reference) if reference in self.children_ else len(self.children_)
        self.children_.insert(index, child)
        return child

    def remove(self) -> None:
        if self.parentElement is not None and self in self.parentElement.children_:
            self.parentElement.children_.remove(self)
        self.parentElement = None

    @property
    def textContent(self) -> str:
        return "".join(c.textContent for c in self.children_)

    @textContent.setter
    def textContent(self, text: str) -> None:
        self.replaceChildren(*([Text(str(text))] if text else []))

    def _descendants(self) -> list[Element]:
        out = []
        for child in self.children_:
            if isinstance(child, Element):
                out.append(child)
                out.extend(child._descendants())
        return out

    def querySelectorAll(self, selector: str) -> _NodeList:
        return _NodeList([e for e in self._descendants() if _matches(e, selector)])

    def querySelector(self, selector: str) -> Any:
        found = self.querySelectorAll(selector)
        return found.item(0) if found.length else JsNull()

    def closest(self, selector: str) -> Any:
        node: Element | None = self
        while node is not None:
            if _matches(node, selector):
                return node
            node = node.parentElement
        return JsNull()

    def isSameNode(self, other: Any) -> bool:
        return self is other

    # --- events ---

    def addEventListener(self, type: str, fn: Callable[[Any], Any], options: Any = None) -> None:
        capture = bool(getattr(options, "capture", False)) if options is not None else False
        self._listeners.append((type, fn, capture))

    def removeEventListener(self, type: str, fn: Callable[[Any], Any], capture: Any = False) -> None:
        self._listeners = [entry for entry in self._listeners if entry[:2] != (type, fn)]

    def dispatchEvent(self, event: Event) -> bool:
        event.target = self
        node: Any = self
        while node is not None and not event._stopped:
            event.currentTarget = node
            for type, fn, _ in list(node._listeners):
                if type == event.type:
                    fn(event)
            node = (
                node.parentElement
                if node.parentElement is not None
                else (node.ownerDocument if node is not node.ownerDocument else None)
            )
        return not event.defaultPrevented

    # --- what a person does, as the page's own calls ---

    def click(self) -> None:
        if not self.disabled:
            self.dispatchEvent(Event("click"))

    def focus(self, options: Any = None) -> None:
        self.ownerDocument.activeElement = self

    def blur(self) -> None:
        self.ownerDocument.activeElement = self.ownerDocument.body

    def select(self) -> None:
        pass

    def scrollIntoView(self, options: Any = None) -> None:
        pass

    def getContext(self, kind: str, options: Any = None) -> Any:
        drawn = self.__dict__.setdefault("drawn", [])
        return types.SimpleNamespace(drawImage=lambda source, *at: drawn.append(source), imageSmoothingEnabled=True)

    def showModal(self) -> None:
        self.open = True

    def close(self) -> None:
        self.open = False

    def getBoundingClientRect(self) -> Any:
        return types.SimpleNamespace(left=0.0, top=0.0, right=0.0, bottom=0.0, width=0.0, height=0.0)

    def __repr__(self) -> str:
        return f"<{self.tagName.lower()} {self._attrs}>"


class Document(Element):
    def __init__(self) -> None:
        super().__init__("#document", self)
        self.documentElement = Element("html", self)
        self.body = Element("body", self)
        self.documentElement.append(self.body)
        self.children_ = [self.documentElement]
        self.documentElement.parentElement = None
        self.activeElement: Any = self.body
        self.visibilityState = "visible"

    def createElement(self, tag: str) -> Element:
        return Element(tag, self)

    def createElementNS(self, namespace: str, tag: str) -> Element:
        return Element(tag, self)

    def _descendants(self) -> list[Element]:
        return [self.documentElement, *self.documentElement._descendants()]


class Storage:
    def __init__(self) -> None:
        self._items: dict[str, str] = {}

    def getItem(self, key: str) -> Any:
        return self._items.get(key)

    def setItem(self, key: str, value: str) -> None:
        self._items[key] = str(value)

    def removeItem(self, key: str) -> None:
        self._items.pop(key, None)

    def key(self, index: int) -> str:
        return list(self._items)[index]

    @property
    def length(self) -> int:
        return len(self._items)


class _JsObject(types.SimpleNamespace):
    @staticmethod
    def new() -> types.SimpleNamespace:
        return types.SimpleNamespace()

    @staticmethod
    def fromEntries(entries: Any) -> dict[str, Any]:
        return dict(entries)


class Console:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, *parts: Any) -> None:
        self.errors.append(" ".join(map(str, parts)))

    def warn(self, *parts: Any) -> None:
        self.warnings.append(" ".join(map(str, parts)))

    def log(self, *parts: Any) -> None:
        pass


def make_modules() -> tuple[types.ModuleType, types.ModuleType, types.ModuleType]:
    """Fresh `js`, `pyodide` and `pyodide.ffi` modules around a new document."""
    document = Document()
    window = types.SimpleNamespace(
        document=document,
        localStorage=Storage(),
        sessionStorage=Storage(),
        devicePixelRatio=1,
        addEventListener=lambda *a, **k: None,
        removeEventListener=lambda *a, **k: None,
        requestAnimationFrame=lambda fn: fn(0),
        getComputedStyle=lambda el: types.SimpleNamespace(backgroundColor="rgb(0, 0, 0)", opacity="1"),
    )
    js = types.ModuleType("js")
    js.document = document  # type: ignore[attr-defined]
    js.window = window  # type: ignore[attr-defined]
    js.console = Console()  # type: ignore[attr-defined]
    js.Object = _JsObject  # type: ignore[attr-defined]
    js.requestAnimationFrame = window.requestAnimationFrame  # type: ignore[attr-defined]
    js.getComputedStyle = window.getComputedStyle  # type: ignore[attr-defined]
    js.ResizeObserver = types.SimpleNamespace(new=lambda fn: types.SimpleNamespace(observe=lambda el: None))  # type: ignore[attr-defined]
    pyodide = types.ModuleType("pyodide")
    ffi = types.ModuleType("pyodide.ffi")

    def create_proxy(fn: Callable[..., Any]) -> Callable[..., Any]:
        def proxy(*args: Any) -> Any:
            return fn(*args)

        proxy.destroy = lambda: None  # type: ignore[attr-defined]
        return proxy

    ffi.create_proxy = create_proxy  # type: ignore[attr-defined]
    ffi.create_once_callable = create_proxy  # type: ignore[attr-defined]
    ffi.to_js = lambda value, **options: value  # type: ignore[attr-defined]
    ffi.JsNull = JsNull  # type: ignore[attr-defined]
    ffi.JsException = JsException  # type: ignore[attr-defined]
    ffi.JsProxy = object  # type: ignore[attr-defined]
    pyodide.ffi = ffi  # type: ignore[attr-defined]
    return js, pyodide, ffi
