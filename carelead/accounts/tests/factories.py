import factory

from carelead.accounts.models import User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        faker_name = factory.Faker("name", locale="en_GB")

    email = factory.Sequence(lambda n: f"staff{n}@example.org")
    # A typographic apostrophe (O’Brien), which HTML leaves as it is: a test that looks for a name in a
    # page then finds it whatever name Faker draws (a straight one is escaped to &#x27;).
    full_name = factory.LazyAttribute(lambda o: o.faker_name.replace("'", "\u2019"))
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
