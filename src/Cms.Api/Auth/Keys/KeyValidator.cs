using FluentValidation;

namespace Cms.Api.Auth.Keys;

public sealed class KeyValidator : AbstractValidator<KeyRequest>
{
    public KeyValidator()
    {
        RuleFor(k => k.Name)
            .NotEmpty().WithMessage("Name the key (what or who it is for).")
            .MaximumLength(100).WithMessage("The name must be at most 100 characters.");
        RuleFor(k => k.Role)
            .NotEmpty().WithMessage("The role must be admin or editor.")
            .Must(role => Roles.All.Contains(role)).WithMessage("The role must be admin or editor.");
    }
}
