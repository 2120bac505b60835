using Cms.Api.Articles.PullQuotes;
using Cms.Api.Articles.Sections;
using Cms.Api.Articles;
using Cms.Api.Comments;
using Cms.Api.Http;
using FluentValidation;

namespace Cms.Api.Transfer;

/// <summary>The same rules as the single-resource endpoints, applied to a whole document; errors are keyed by JSON path.</summary>
public sealed class ArticleDocumentValidator : AbstractValidator<ArticleDocument>
{
    public ArticleDocumentValidator()
    {
        Include(new ArticleFieldsValidator());
        RuleFor(a => a.Slug).NotEmpty().WithMessage("Each article needs a 'slug': it is what makes re-importing update instead of duplicate.");
        RuleFor(a => a.PublishAt).NotNull().WithMessage("A scheduled article needs 'publishAt'.").When(a => a.Status == ArticleStatus.Scheduled);
        RuleForEach(a => a.Sections).NotNull().WithMessage("A section is null: send an object with at least a body.")
            .SetValidator(new SectionTextValidator());
        RuleForEach(a => a.PullQuotes).NotNull().WithMessage("A pull-quote is null: send an object with at least its text.")
            .SetValidator(new PullQuoteTextValidator());
        RuleForEach(a => a.PullQuotes).Custom((quote, context) =>
        {
            var sections = context.InstanceToValidate.Sections ?? [];
            if (quote?.Section is not { } position)
            {
                if (quote?.AfterParagraph is not null)
                {
                    context.AddFailure("afterParagraph", "'afterParagraph' places the quote inside a section: send 'section' too.");
                }

                return;
            }

            if (position < 1 || position > sections.Count)
            {
                context.AddFailure("section", $"'section' is a position in this article's sections: 1 to {sections.Count}.");
            }
            else if (quote.AfterParagraph is { } after && sections[position - 1]?.Body is { } body && after > PullQuoteStore.CountParagraphs(body))
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
        RuleFor(c => c.Status).IsDefinedEnum().WithMessage("The status must be pending, approved, spam or rejected.");
        RuleFor(c => c.Parent).GreaterThanOrEqualTo(0).WithMessage("'parent' is the index of an earlier comment in this bundle.");
    }
}
