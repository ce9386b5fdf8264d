from jichitai.automation.tests import factories
from jichitai.tenancy.tests.isolation import object_kwargs

object_kwargs.register("scenario_id", lambda organization: factories.scenario(organization).pk)
object_kwargs.register(
    "version_id", lambda organization: factories.scenario(organization).current_version.pk
)
object_kwargs.register("run_id", lambda organization: factories.run(organization).pk)
object_kwargs.register("output_id", lambda organization: factories.run_file(organization).pk)
object_kwargs.register("item_id", lambda organization: factories.item(organization).pk)
object_kwargs.register("secret_id", lambda organization: factories.secret(organization).pk)
object_kwargs.register("schedule_id", lambda organization: factories.schedule(organization).pk)
