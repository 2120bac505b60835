using Cms.Api.Http;
using FluentValidation;

namespace Cms.Api.Comments;

/// <summary>The comment form's rules, with the messages readers know from comment forms.</summary>
public sealed class CommentFieldsValidator : AbstractValidator<ICommentFields>
{
    public const string NameRequired = "Please enter your name here";
    public const string BodyRequired = "Please enter your comment!";

    public CommentFieldsValidator()
    {
        RuleFor(c => c.Name)
            .NotEmpty().WithMessage(NameRequired)
            .MaximumLength(100).WithMessage("Your name must be at most 100 characters.");
        RuleFor(c => c.Body)
            .NotEmpty().WithMessage(BodyRequired)
            .MaximumLength(5000).WithMessage("Your comment must be at most 5000 characters.");
        RuleFor(c => c.Email!)
            .MaximumLength(254).WithMessage("Your e-mail address must be at most 254 characters.")
            .EmailAddress().WithMessage("Please enter a valid e-mail address, or leave it empty.")
            .When(c => !string.IsNullOrEmpty(c.Email));
        RuleFor(c => c.Website!)
            .MaximumLength(200).WithMessage("Your website address must be at most 200 characters.")
            .Must(BeWebAddress).WithMessage("Please enter a website address starting with http:// or https://, or leave it empty.")
            .When(c => !string.IsNullOrEmpty(c.Website));
    }

    private static bool BeWebAddress(string website) =>
        Uri.TryCreate(website, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host);
}

public sealed class CommentValidator : AbstractValidator<CommentRequest>
{
    public CommentValidator()
    {
        Include(new CommentFieldsValidator());
        RuleFor(c => c.ParentId).GreaterThan(0).WithMessage("'parentId' must be a comment id.");
    }
}

public sealed class CommentUpdateValidator : AbstractValidator<CommentUpdateRequest>
{
    public CommentUpdateValidator()
    {
        Include(new CommentFieldsValidator());
        RuleFor(c => c.Status).NotNull().WithMessage("The status must be pending, approved, spam or rejected.").IsDefinedEnum().WithMessage("The status must be pending, approved, spam or rejected.");
    }
}

public sealed class ModerationValidator : AbstractValidator<ModerationRequest>
{
    public ModerationValidator()
    {
        RuleFor(m => m.Ids).NotEmpty().WithMessage("List the comment ids to moderate in 'ids'.")
            .Must(ids => ids!.Count <= 1000).WithMessage("At most 1000 comments at a time.")
            .When(m => m.Ids is not null, ApplyConditionTo.CurrentValidator);
        RuleFor(m => m.Action).NotNull().WithMessage("'action' must be approve, reject, spam or restore.").IsDefinedEnum().WithMessage("'action' must be approve, reject, spam or restore.");
    }
}
