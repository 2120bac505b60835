using Cms.Api.Settings;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace Cms.Api.Webhooks;

public sealed class WebhookValidator : AbstractValidator<WebhookRequest>
{
    public WebhookValidator(IOptions<CmsOptions> options)
    {
        RuleFor(w => w.Url)
            .NotEmpty().WithMessage("Give the receiver's URL (http or https).")
            .MaximumLength(2000).WithMessage("The URL must be at most 2000 characters.")
            .Must(url => WebhookAddresses.Refusal(url, options.Value.Webhooks.AllowPrivateNetworks) is null)
            .WithMessage(w => WebhookAddresses.Refusal(w.Url, options.Value.Webhooks.AllowPrivateNetworks)!)
            .When(w => !string.IsNullOrEmpty(w.Url));
        RuleFor(w => w.Events)
            .NotEmpty().WithMessage($"Name the events to send, e.g. [\"article.published\"], or [\"*\"] for all.");
        RuleForEach(w => w.Events)
            .Must(e => e == WebhookEvents.Everything || WebhookEvents.All.Contains(e))
            .WithMessage((_, e) => $"'{e}' is not an event; use * or one of: {string.Join(", ", WebhookEvents.All)}.");
        RuleFor(w => w.Description)
            .MaximumLength(500).WithMessage("The description must be at most 500 characters.");
    }
}
