"""How a person hears of what is theirs to do: per kind, an email at once or a daily digest."""

from django import forms

from reviews.handoffs import Delivery, Kind


class DeliveryForm(forms.Form):
    """One question per kind of news, each answered with how to receive it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select how to hear about {kind.label.lower()}"},
            )

    def service_data(self) -> dict:
        return {"choices": dict(self.cleaned_data)}
