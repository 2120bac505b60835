using Cms.Api.Articles;
using Cms.Api.Comments;
using Cms.Api.Common;
using Cms.Api.PullQuotes;
using Cms.Api.Sections;
using FluentValidation;

namespace Cms.Api.Transfer;

/// <summary>The same rules as the single-resource endpoints, applied to a whole document; errors are keyed by JSON path.</summary>
public sealed class ArticleDocumentValidator : AbstractValidator<ArticleDocument>
{
    public ArticleDocumentValidator()
    {
        RuleFor(a => a.Slug)
            .NotEmpty().WithMessage("Each article needs a 'slug': it is what makes re-importing update instead of duplicate.")
            .MaximumLength(Slugs.MaxLength).WithMessage($"The slug must be at most {Slugs.MaxLength} characters.")
            .Must(s => Slugs.IsValid(s!)).WithMessage("The slug may use only lowercase letters a-z, digits and single hyphens (not at either end), and must not be all digits.")
            .When(a => a.Slug is not null, ApplyConditionTo.CurrentValidator);
        RuleFor(a => a.Title)
            .NotEmpty().WithMessage("Please enter a title.")
            .MaximumLength(300).WithMessage("The title must be at most 300 characters.");
        RuleFor(a => a.Standfirst).MaximumLength(1000).WithMessage("The standfirst must be at most 1000 characters.");
        RuleFor(a => a.Byline).MaximumLength(200).WithMessage("The byline must be at most 200 characters.");
        RuleFor(a => a.Status).IsInEnum().WithMessage("The status must be draft, scheduled, published or archived.");
        RuleFor(a => a.PublishAt).NotNull().WithMessage("A scheduled article needs 'publishAt'.").When(a => a.Status == ArticleStatus.Scheduled);
        RuleForEach(a => a.Sections).ChildRules(section =>
        {
            section.RuleFor(s => s.Body)
                .NotEmpty().WithMessage("Please enter the section's body.")
                .MaximumLength(SectionValidator.MaxBodyLength).WithMessage("The body must be at most 200,000 characters.");
            section.RuleFor(s => s.Heading).MaximumLength(200).WithMessage("The heading must be at most 200 characters.");
        });
        RuleForEach(a => a.PullQuotes).ChildRules(quote =>
        {
            quote.RuleFor(q => q.Text)
                .NotEmpty().WithMessage("Please enter the quotation.")
                .MaximumLength(500).WithMessage("The quotation must be at most 500 characters.");
            quote.RuleFor(q => q.Attribution).MaximumLength(200).WithMessage("The attribution must be at most 200 characters.");
            quote.RuleFor(q => q.AfterParagraph)
                .GreaterThanOrEqualTo(0).WithMessage("'afterParagraph' must be 0 or more.")
                .Must((q, _) => q.Section is not null).WithMessage("'afterParagraph' places the quote inside a section: send 'section' too.")
                .When(q => q.AfterParagraph is not null);
        });
        RuleForEach(a => a.PullQuotes).Custom((quote, context) =>
        {
            var sections = context.InstanceToValidate.Sections ?? [];
            if (quote.Section is not { } position)
            {
                return;
            }

            if (position < 1 || position > sections.Count)
            {
                context.AddFailure("section", $"'section' is a position in this article's sections: 1 to {sections.Count}.");
            }
            else if (quote.AfterParagraph is { } after && sections[position - 1].Body is { } body && after > PullQuoteStore.CountParagraphs(body))
            {
                var paragraphs = PullQuoteStore.CountParagraphs(body);
                context.AddFailure("afterParagraph", $"Section {position} has {paragraphs} paragraph(s): 'afterParagraph' must be between 0 and {paragraphs}.");
            }
        });
    }
}

public sealed class CommentDocumentValidator : AbstractValidator<CommentDocument>
{
    public CommentDocumentValidator()
    {
        Include(new CommentFieldsValidator());
        RuleFor(c => c.Article).NotEmpty().WithMessage("Each comment names its article by slug in 'article'.");
        RuleFor(c => c.Status).IsInEnum().WithMessage("The status must be pending, approved, spam or rejected.");
        RuleFor(c => c.Parent).GreaterThanOrEqualTo(0).WithMessage("'parent' is the index of an earlier comment in this bundle.");
    }
}
