"""Where batch pictures run: a local process pool, or an existing Dask cluster.

Both are driven the same way: submit one task per picture, at most a window of them in flight (so
a folder of thousands is never all in memory at once), and hand back outcomes as they finish.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .batch_task import PictureOutcome
from .errors import UsageError

Task = tuple[Path, Callable[[], bytes]]  # a picture's path, and how to read its bytes


class _Pool:
    def __init__(self, submit: Callable[..., Any], wait_first: Callable[[set[Any]], set[Any]], window: int) -> None:
        self._submit = submit
        self._wait_first = wait_first
        self._window = window

    def map_pictures(
        self, fn: Callable[..., PictureOutcome], workflow_text: str, input_node: str, tasks: Iterable[Task]
    ) -> Iterator[tuple[Path, PictureOutcome]]:
        pending: dict[Any, Path] = {}
        queue = iter(tasks)
        exhausted = False
        while pending or not exhausted:
            while not exhausted and len(pending) < self._window:
                try:
                    path, read = next(queue)
                except StopIteration:
                    exhausted = True
                    break
                try:
                    data = read()
                except (OSError, ValueError) as exc:
                    yield (
                        path,
                        PictureOutcome(path.name, error=f"cannot read it: {getattr(exc, 'strerror', None) or exc}"),
                    )
                    continue
                pending[self._submit(fn, workflow_text, input_node, path.name, data)] = path
            if not pending:
                continue
            for future in self._wait_first(set(pending)):
                path = pending.pop(future)
                try:
                    outcome = future.result()
                except Exception as exc:  # the worker itself died (killed, out of memory, lost)
                    outcome = PictureOutcome(path.name, error=f"its worker failed ({type(exc).__name__}: {exc})")
                yield path, outcome


def _wait_local(futures: set[Any]) -> set[Any]:
    done, _ = cf.wait(futures, return_when=cf.FIRST_COMPLETED)
    return done


@contextmanager
def open_pool(scheduler: str | None, jobs: int) -> Iterator[_Pool]:
    if scheduler:
        with _dask_pool(scheduler) as pool:
            yield pool
        return
    # spawn, not fork: a forked child of a process with threads (tqdm's monitor) can deadlock.
    with cf.ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as executor:
        yield _Pool(executor.submit, _wait_local, window=jobs * 2)


@contextmanager
def _dask_pool(address: str) -> Iterator[_Pool]:
    try:
        from distributed import Client, wait
    except ImportError:
        raise UsageError("--scheduler needs Dask: pip install 'dask[distributed]'") from None
    try:
        client = Client(address, timeout="5s")
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"--scheduler {address!r}: cannot reach the Dask scheduler ({exc})") from None
    try:
        _ship_package(client)
        workers = max(1, sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()))

        def submit(fn: Callable[..., Any], *args: Any) -> Any:
            return client.submit(fn, *args, pure=False)

        def wait_first(futures: set[Any]) -> set[Any]:
            return set(wait(list(futures), return_when="FIRST_COMPLETED").done)

        yield _Pool(submit, wait_first, window=workers * 2)
    finally:
        client.close()


def _ship_package(client: Any) -> None:
    """Send this Studio's package to every worker (they need Python and Pillow, not an install):
    the workers then run the same code as this machine."""
    import tempfile

    from ..site.pyscript_toml import build_archive

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pyxis_studio.zip"
        path.write_bytes(build_archive())
        client.upload_file(str(path), load=True)  # load: puts the zip on the workers' sys.path
