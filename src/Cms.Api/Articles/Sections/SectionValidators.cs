using FluentValidation;

namespace Cms.Api.Articles.Sections;

/// <summary>The heading and body rules, shared by the section endpoints and whole-article documents.</summary>
public sealed class SectionTextValidator : AbstractValidator<ISectionText>
{
    public const int MaxBodyLength = 200_000;

    public SectionTextValidator()
    {
        RuleFor(s => s.Body)
            .NotEmpty().WithMessage("Please enter the section's body.")
            .MaximumLength(MaxBodyLength).WithMessage("The body must be at most 200,000 characters.");
        RuleFor(s => s.Heading).MaximumLength(200).WithMessage("The heading must be at most 200 characters.");
    }
}

public sealed class SectionValidator : AbstractValidator<SectionRequest>
{
    public SectionValidator()
    {
        Include(new SectionTextValidator());
        RuleFor(s => s.Position).GreaterThanOrEqualTo(1).WithMessage("The position starts at 1.");
    }
}

public sealed class SectionOrderValidator : AbstractValidator<SectionOrderRequest>
{
    public SectionOrderValidator()
    {
        RuleFor(o => o.SectionIds)
            .NotNull().WithMessage("Send 'sectionIds': every section id of the article in the new order.")
            .Must(ids => ids!.Distinct().Count() == ids!.Count).WithMessage("Each section id may appear only once.")
            .When(o => o.SectionIds is not null, ApplyConditionTo.CurrentValidator);
    }
}
