"""How each person chooses to hear of what is theirs to do."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_http_methods

from reviews.forms.handoffs import DeliveryForm
from reviews.selectors.handoffs import delivery_preferences
from reviews.services.handoffs import delivery_preferences_set
from scr.forms import form_page


@login_required
@require_http_methods(["GET", "POST"])
def delivery_view(request):
    form = DeliveryForm(request.POST or None, initial=delivery_preferences(person=request.user))
    return form_page(
        request,
        form,
        delivery_preferences_set,
        message="Your choices are saved",
        success_url="reviews:notifications",
        template="reviews/handoffs/delivery_form.html",
        context={},
    )
