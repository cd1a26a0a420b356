"""A fetched run and its steps, with partitions and indicator tables as rows: a pandas
DataFrame when pandas is importable, else a list of dicts with the same columns."""

from __future__ import annotations

import math
from typing import Any, List, Optional, Union

from bre_client._proto.bre.v1 import pipeline_pb2, results_pb2, service_pb2

#: The columns of Step.partition(), as in the CLI's <step>.partition.csv (without the
#: municipality names, which the dataset holds), and the ensemble's membership confidence.
PARTITION_COLUMNS = ["region_id", "region_name", "municipality_code", "confidence"]

#: The columns of Step.variance() and Step.associations(), as in the CLI's
#: <step>.variance.csv and <step>.associations.csv (an analysis step, docs/analysis.md).
VARIANCE_COLUMNS = ["outcome", "label", "unit", "model", "fitted", "n_units", "n_regions", "n_unassigned",
                    "n_missing", "between_variance", "within_variance", "icc", "icc_ci_low", "icc_ci_high",
                    "reml_log_likelihood", "lrt_statistic", "lrt_p", "summary", "note"]
ASSOCIATION_COLUMNS = ["outcome", "characteristic", "table", "tested", "measure", "effect", "n", "p", "exact",
                       "permutations", "p_holm", "p_bh", "summary", "note"]


def pandas_available() -> bool:
    """Whether pandas can be imported, i.e. whether rows come as DataFrames by default."""
    try:
        import pandas
    except ImportError:
        return False
    return pandas is not None


def _rows(rows: List[dict], columns: List[str], frame: Optional[bool]) -> Any:
    """`rows` as a DataFrame with `columns` (frame True, or None and pandas importable), or
    as they are."""
    if frame is None:
        frame = pandas_available()
    if not frame:
        return rows
    import pandas
    return pandas.DataFrame.from_records(rows, columns=columns)


def _pick(items: Any, key: Union[int, str], what: str, owner: str) -> Any:
    """The item at index `key`, or the one whose name is `key`."""
    names = [item.name for item in items]
    if isinstance(key, int):
        if not 0 <= key < len(items):
            raise KeyError(f"{owner}: no {what} {key}; it has {len(items)}")
        return items[key]
    if key not in names:
        raise KeyError(f"{owner}: no {what} '{key}'; it has {names}")
    return items[names.index(key)]


def _cell(table: results_pb2.IndicatorTable, column: int, value: float) -> Union[float, str]:
    """A table value; a categorical column's value as its category, as the CLI's CSV."""
    if column < len(table.columns):
        categories = table.columns[column].categories
        if categories and math.isfinite(value) and value == int(value) and 0 <= value < len(categories):
            return categories[int(value)]
    return value


class Step:
    """One step of a run: ``step_id``, ``status`` ("SUCCEEDED", "FAILED", "SKIPPED",
    "CANCELLED"), ``error`` and its ``artifacts`` (a bre.v1.Artifacts message)."""

    def __init__(self, result: pipeline_pb2.StepResult) -> None:
        self.step_id = result.step_id
        self.status = pipeline_pb2.StepStatus.Name(result.status)[len("STEP_STATUS_"):]
        self.error = result.error
        self.artifacts = result.artifacts

    def __repr__(self) -> str:
        return f"Step({self.step_id!r}, {self.status})"

    @property
    def partitions(self) -> List[str]:
        """The names of the step's partitions, in order."""
        return [p.name for p in self.artifacts.partitions]

    @property
    def tables(self) -> List[str]:
        """The names of the step's indicator tables, in order."""
        return [t.name for t in self.artifacts.tables]

    @property
    def documents(self) -> dict:
        """The step's documents (maps, the report) by file name: their bytes."""
        return {d.name: d.content for d in self.artifacts.documents}

    @property
    def warnings(self) -> List[str]:
        """What a reader of the step's results must know."""
        return list(self.artifacts.warnings)

    def partition(self, key: Union[int, str] = 0, *, frame: Optional[bool] = None) -> Any:
        """The partition at index `key` (or named `key`): one row per municipality with
        PARTITION_COLUMNS, region by region, then the unassigned municipalities with an
        empty region. ``confidence`` is the membership confidence of an ensemble's
        partition, else NaN. A DataFrame when ``frame`` is True, or None and pandas is
        importable; a list of dicts otherwise."""
        partition = _pick(self.artifacts.partitions, key, "partition", f"step '{self.step_id}'")
        confidence = {v.municipality_code: v.value for v in partition.membership_confidence}
        rows = [{"region_id": region.id, "region_name": region.name, "municipality_code": code,
                 "confidence": confidence.get(code, math.nan)}
                for region in partition.regions for code in region.municipality_codes]
        rows += [{"region_id": "", "region_name": "", "municipality_code": code, "confidence": math.nan}
                 for code in partition.unassigned]
        return _rows(rows, PARTITION_COLUMNS, frame)

    def table(self, key: Union[int, str] = 0, *, frame: Optional[bool] = None) -> Any:
        """The indicator table at index `key` (or named `key`) as the CLI writes its CSV:
        columns region_id, region_name and one per indicator (its id); the region rows,
        then the summary rows (e.g. "NL"); NaN where a value is missing, a categorical
        value as its category. A DataFrame or a list of dicts, as partition()."""
        table = _pick(self.artifacts.tables, key, "table", f"step '{self.step_id}'")
        columns = ["region_id", "region_name"] + [c.id for c in table.columns]
        rows = []
        for row in list(table.rows) + list(table.summary_rows):
            values = {table.columns[i].id: _cell(table, i, v) for i, v in enumerate(row.values)
                      if i < len(table.columns)}
            rows.append({"region_id": row.region_id, "region_name": row.region_name, **values})
        return _rows(rows, columns, frame)

    def variance(self, index: int = 0, *, frame: Optional[bool] = None) -> Any:
        """An analysis step's variance decompositions (analysis `index`): one row per
        outcome and model with VARIANCE_COLUMNS; the numbers of a model that was not
        fitted are NaN, with the reason in ``note``. A DataFrame or a list of dicts, as
        partition()."""
        analysis = _pick(self.artifacts.analyses, index, "analysis", f"step '{self.step_id}'")
        rows = []
        for d in analysis.decompositions:
            row = {column: getattr(d, column) for column in VARIANCE_COLUMNS}
            if not d.fitted:
                row.update({c: math.nan for c in VARIANCE_COLUMNS[9:17]})
            rows.append(row)
        return _rows(rows, VARIANCE_COLUMNS, frame)

    def associations(self, index: int = 0, *, frame: Optional[bool] = None) -> Any:
        """An analysis step's associations of region characteristics with its outcomes,
        with ASSOCIATION_COLUMNS; NaN numbers for an association that was not tested."""
        analysis = _pick(self.artifacts.analyses, index, "analysis", f"step '{self.step_id}'")
        rows = []
        for a in analysis.associations:
            row = {column: getattr(a, column) for column in ASSOCIATION_COLUMNS}
            if not a.tested:
                row.update({c: math.nan for c in ("effect", "p", "p_holm", "p_bh")})
            rows.append(row)
        return _rows(rows, ASSOCIATION_COLUMNS, frame)


class Run:
    """A run as the server keeps it: ``run_id``, ``status`` ("QUEUED", "RUNNING",
    "SUCCEEDED", "FAILED", "CANCELLED", "DEADLINE_EXCEEDED"), ``reason``, ``dataset_id``,
    ``seed``, its ``steps`` once finished, and the messages themselves: ``record`` (a
    bre.v1.RunRecord) and ``result`` (its bre.v1.RunResult)."""

    def __init__(self, record: service_pb2.RunRecord) -> None:
        self.record = record
        self.result = record.result
        self.run_id = record.run_id
        self.status = service_pb2.RunStatus.Name(record.status)[len("RUN_STATUS_"):]
        self.reason = record.reason
        self.dataset_id = record.dataset_id
        self.seed = record.seed
        self.steps = [Step(step) for step in record.result.steps]

    def __repr__(self) -> str:
        return f"Run({self.run_id!r}, {self.status}, {len(self.steps)} steps)"

    def step(self, step_id: str) -> Step:
        """The step with this id; KeyError naming the steps there are otherwise."""
        for step in self.steps:
            if step.step_id == step_id:
                return step
        raise KeyError(f"run {self.run_id}: no step '{step_id}'; it has {[s.step_id for s in self.steps]}")

    def partition(self, step_id: str, key: Union[int, str] = 0, *, frame: Optional[bool] = None) -> Any:
        """A step's partition: see Step.partition()."""
        return self.step(step_id).partition(key, frame=frame)

    def table(self, step_id: str, key: Union[int, str] = 0, *, frame: Optional[bool] = None) -> Any:
        """A step's indicator table: see Step.table()."""
        return self.step(step_id).table(key, frame=frame)

    def result_bytes(self) -> bytes:
        """The RunResult, deterministically serialised: the bytes of `bre run`'s run.pb
        for the same spec, dataset and seed."""
        return self.result.SerializeToString(deterministic=True)

    def save(self, path: str) -> None:
        """Writes result_bytes() to `path`."""
        with open(path, "wb") as f:
            f.write(self.result_bytes())
