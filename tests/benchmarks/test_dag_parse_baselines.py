"""The parse benchmark compares like with like: the floor and dag-factory build the project's very DAGs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.benchmarks.dag_parse.profiles_gen import generate_profiles
from tests.benchmarks.dag_parse.variants import DAG_FACTORY, FLOOR, baseline_variants, project_variant
from tests.benchmarks.processes import child_env, run_probe

ROOT = Path(__file__).resolve().parents[2]
PROBE = "tests.benchmarks.dag_parse.probe"


def test_generated_profiles_vary_the_samples_and_all_validate(tmp_path: Path) -> None:
    from profile_sync.profiles import load_profiles

    ids = generate_profiles(ROOT / "profile_configs", tmp_path, 30)
    assert len(set(ids)) == 30
    assert (tmp_path / "defaults.yaml").exists()
    result = load_profiles(tmp_path)
    assert result.errors == []
    assert sorted(item.profile.id for item in result.profiles) == sorted(ids)


@pytest.mark.integration
def test_floor_and_dag_factory_build_the_same_dags_as_the_project(tmp_path: Path) -> None:
    project, _ = project_variant(ROOT, tmp_path, 14, ROOT / "profile_configs")
    specs = tmp_path / "specs.json"
    out = tmp_path / "probe.json"

    def probe(dags: Path, *extra: str | Path, **env: str) -> dict:
        environment = child_env(ROOT, tmp_path / "airflow_home", DO_NOT_TRACK="1", **env)
        return run_probe(PROBE, [dags, out, *extra], out, cwd=ROOT, env=environment, timeout=300)

    built = probe(project.dags, "--specs", specs, **project.env)
    assert built["dags"] == 14 and built["tasks"] == 56 and not built["import_errors"]

    baselines = {variant.name: variant for variant in baseline_variants(tmp_path, 14, specs)}
    floor = probe(baselines[FLOOR].dags)
    assert floor["fingerprint"] == built["fingerprint"]  # every setting, task and doc_md the same
    if DAG_FACTORY not in baselines:
        pytest.skip("dag-factory is not installed: pip install dag-factory==1.1.0")
    factory = probe(baselines[DAG_FACTORY].dags)
    assert not factory["import_errors"]
    assert factory["fingerprint_without_docs"] == built["fingerprint_without_docs"]
