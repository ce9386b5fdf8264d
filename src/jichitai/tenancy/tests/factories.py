import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from jichitai.accounts.models import User
from jichitai.core.japanese import local_government_code_check_digit
from jichitai.tenancy.models import Division, Membership, Organization, Role


def code_with_check_digit(first_five: str) -> str:
    return first_five + local_government_code_check_digit(first_five)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: code_with_check_digit(f"{47000 + n:05d}"))
    name = factory.Sequence(lambda n: f"テスト市{n}")
    name_kana = factory.Sequence(lambda n: f"てすとし{n}")
    kind = Organization.Kind.CITY


class DivisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Division

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"テスト課{n}")
    department = "総務部"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    full_name = factory.Sequence(lambda n: f"職員 {n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.jp")
    password = factory.django.Password("correct-horse-battery")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.CLERK


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "認証アプリ"
    confirmed = True
