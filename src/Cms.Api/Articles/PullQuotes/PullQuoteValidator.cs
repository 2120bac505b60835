using FluentValidation;

namespace Cms.Api.Articles.PullQuotes;

/// <summary>The text and attribution rules, shared by the pull-quote endpoints and whole-article documents.</summary>
public sealed class PullQuoteTextValidator : AbstractValidator<IPullQuoteText>
{
    public PullQuoteTextValidator()
    {
        RuleFor(q => q.Text)
            .NotEmpty().WithMessage("Please enter the quotation.")
            .MaximumLength(500).WithMessage("The quotation must be at most 500 characters.");
        RuleFor(q => q.Attribution).MaximumLength(200).WithMessage("The attribution must be at most 200 characters.");
        RuleFor(q => q.AfterParagraph).GreaterThanOrEqualTo(0).WithMessage("'afterParagraph' must be 0 or more.");
    }
}

public sealed class PullQuoteValidator : AbstractValidator<PullQuoteRequest>
{
    public PullQuoteValidator()
    {
        Include(new PullQuoteTextValidator());
        RuleFor(q => q.SectionId).GreaterThan(0).WithMessage("'sectionId' must be a section id.");
        RuleFor(q => q.AfterParagraph)
            .Must((quote, _) => quote.SectionId is not null).WithMessage("'afterParagraph' places the quote inside a section: send 'sectionId' too.")
            .When(q => q.AfterParagraph is not null);
    }
}
