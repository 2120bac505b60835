using Cms.Api.Http;
using FluentValidation;

namespace Cms.Api.Articles;

/// <summary>The field rules shared by the article endpoints and whole-article documents.</summary>
public sealed class ArticleFieldsValidator : AbstractValidator<ArticleFields>
{
    public ArticleFieldsValidator()
    {
        RuleFor(a => a.Title)
            .NotEmpty().WithMessage("Please enter a title.")
            .MaximumLength(300).WithMessage("The title must be at most 300 characters.");
        RuleFor(a => a.Slug!)
            .MaximumLength(Slugs.MaxLength).WithMessage($"The slug must be at most {Slugs.MaxLength} characters.")
            .Must(Slugs.IsValid).WithMessage("The slug may use only lowercase letters a-z, digits and single hyphens (not at either end), and must not be all digits.")
            .When(a => a.Slug is not null);
        RuleFor(a => a.Standfirst).MaximumLength(1000).WithMessage("The standfirst must be at most 1000 characters.");
        RuleFor(a => a.Byline).MaximumLength(200).WithMessage("The byline must be at most 200 characters.");
        RuleFor(a => a.Status).IsDefinedEnum().WithMessage("The status must be draft, scheduled, published or archived.");
    }
}

public sealed class ArticleValidator : AbstractValidator<ArticleRequest>
{
    public ArticleValidator(TimeProvider clock)
    {
        Include(new ArticleFieldsValidator());
        RuleFor(a => a.PublishAt).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("A scheduled article needs 'publishAt': when it goes live.")
            .Must(at => at > clock.GetUtcNow()).WithMessage("'publishAt' must be in the future; to publish now, set status to published.")
            .When(a => a.Status == ArticleStatus.Scheduled);
    }
}
