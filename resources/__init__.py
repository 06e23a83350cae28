"""Bundle resources defined in Python; `databricks.yml` names `resources:load_resources`.

The CLI calls it with the bundle's venv (`python.venv_path`) on every validate and deploy.
"""

from databricks.bundles.core import Bundle, Resources

from resources.careerlake_jobs import pipeline_jobs


def load_resources(bundle: Bundle) -> Resources:
    resources = Resources()
    for key, job in pipeline_jobs().items():
        resources.add_job(key, job)
    return resources
