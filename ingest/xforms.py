"""Page text through pypdf's visitors, with what embedded objects draw placed on the page.

A Form XObject (Word's embedded tables and charts, "/Meta84") draws in its own coordinate space: the
page places it by the transformation in force at its `Do` and by the form's own `/Matrix`. pypdf walks
into the form with a fresh transformation, so its visitors report the form's cells at the form's
coordinates (y past the page's top, type sizes that are not the printed ones). Here every
transformation a visitor sees is composed with the placing ones, so a fragment's position and type
size are the page's. A form that cannot be read is left to pypdf as it is: never risk the page's text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Matrix = list[float]
TextVisitor = Callable[[str, Matrix, Matrix, Any, float], None]
OperatorVisitor = Callable[[bytes, list[Any], Matrix, Matrix], None]

_IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n, in PDF's row-vector convention (a point is transformed by m first)."""
    return [m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
            m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3],
            m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5]]


def _form(resources: Any, name: Any) -> Any:
    """The form XObject `name` of a resource dictionary, or None (an image, or nothing by that name)."""
    try:
        obj = resources["/XObject"][name].get_object()
        return obj if obj.get("/Subtype") == "/Form" else None
    except Exception:  # noqa: BLE001 - a broken or missing object places nothing
        return None


def _matrix(form: Any) -> Matrix:
    try:
        values = [float(v) for v in form.get("/Matrix", _IDENTITY)]
    except Exception:  # noqa: BLE001 - a malformed matrix: the form is drawn unscaled
        return list(_IDENTITY)
    return values if len(values) == 6 else list(_IDENTITY)


class PlacedText:
    """One page's `extract_text`, both visitors handed page-space transformations.

    `in_form` tells a visitor whether the fragment it is handed is drawn by an embedded object.
    """

    def __init__(self, page: Any) -> None:
        self.page = page
        try:
            self._resources: Any = page["/Resources"].get_object()
        except Exception:  # noqa: BLE001 - no resources: nothing to place
            self._resources = None
        # (placement of the form being walked, its resources), a stack that follows the nesting.
        # pypdf calls the "before" visitor of a `Do`, then hands over the text drawn before it, then
        # walks the form (whose first operator opens its placement) and only then calls the `Do`'s
        # "after" visitor.
        self._placed: list[tuple[Matrix, Any]] = []
        self._pending: list[tuple[Matrix, Any]] = []
        self._opens: list[bool] = []  # per `Do` being walked: whether it places a form

    @property
    def in_form(self) -> bool:
        return bool(self._placed)

    def extract(self, visitor_text: TextVisitor | None = None,
                visitor_operand_before: OperatorVisitor | None = None) -> str:
        def before(op: bytes, args: list[Any], cm: Matrix, tm: Matrix) -> None:
            if self._pending:
                self._placed.append(self._pending.pop())
            if visitor_operand_before is not None:
                visitor_operand_before(op, args, self._outer(cm), tm)
            if op == b"Do":
                self._enter(args, cm)

        def after(op: bytes, args: list[Any], cm: Matrix, tm: Matrix) -> None:
            if op == b"Do":
                self._leave()

        def text(piece: str, cm: Matrix, tm: Matrix, font: Any, size: float) -> None:
            if visitor_text is not None:
                visitor_text(piece, self._outer(cm), tm, font, size)

        if not self._places_forms():  # most pages: nothing to place, no visitor on every operator
            return self.page.extract_text(visitor_text=visitor_text,
                                          visitor_operand_before=visitor_operand_before) or ""
        return self.page.extract_text(visitor_text=text, visitor_operand_before=before,
                                      visitor_operand_after=after) or ""

    def _places_forms(self) -> bool:
        try:
            objects = self._resources["/XObject"].get_object()
            return any(_form(self._resources, name) is not None for name in objects)
        except Exception:  # noqa: BLE001 - unreadable resources: read the page as pypdf does
            return False

    def _outer(self, cm: Matrix) -> Matrix:
        return multiply(cm, self._placed[-1][0]) if self._placed else cm

    def _enter(self, args: list[Any], cm: Matrix) -> None:
        resources = self._placed[-1][1] if self._placed else self._resources
        form = _form(resources, args[0]) if args and resources is not None else None
        self._opens.append(form is not None)
        if form is not None:
            try:
                inner = form["/Resources"].get_object()
            except Exception:  # noqa: BLE001 - a form without resources of its own uses its parent's
                inner = resources
            self._pending.append((multiply(_matrix(form), self._outer(cm)), inner))

    def _leave(self) -> None:
        if not self._opens or not self._opens.pop():
            return
        if self._pending:  # a form that draws nothing
            self._pending.clear()
        elif self._placed:
            self._placed.pop()

