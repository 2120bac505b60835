using Cms.Api.Articles.PullQuotes;
using Cms.Api.Articles.Sections;
using Cms.Api.Articles;
using Cms.Api.Comments;
using Cms.Api.Http;
using Cms.Api.Transfer;
using FluentValidation;

namespace Cms.Api.Tests.Http;

public sealed class ValidatorTests
{
    [OneTimeSetUp]
    public void UseJsonNames() => Validation.UseJsonFieldNames();

    private static Dictionary<string, string[]> Errors<T>(IValidator<T> validator, T value) =>
        validator.Validate(value).ToDictionary().ToDictionary(e => e.Key, e => e.Value);

    [Test]
    public void Article_needs_a_title_and_a_well_formed_slug()
    {
        var validator = new ArticleValidator(TimeProvider.System);

        Assert.Multiple(() =>
        {
            Assert.That(Errors(validator, new ArticleRequest { Title = "Fine", Slug = "fine-slug-2" }), Is.Empty);
            Assert.That(Errors(validator, new ArticleRequest()).Keys, Is.EquivalentTo(new[] { "title" }));
            Assert.That(Errors(validator, new ArticleRequest { Title = "x", Slug = "double--hyphen" }).Keys, Is.EquivalentTo(new[] { "slug" }));
            Assert.That(Errors(validator, new ArticleRequest { Title = "x", Slug = "2026" }).Keys, Is.EquivalentTo(new[] { "slug" }));
            Assert.That(Errors(validator, new ArticleRequest { Title = "x", Slug = "2026-budget" }), Is.Empty);
            Assert.That(Errors(validator, new ArticleRequest { Title = "x", Slug = new string('a', 201) }).Keys, Is.EquivalentTo(new[] { "slug" }));
            Assert.That(Errors(validator, new ArticleRequest { Title = "x", Status = (ArticleStatus)7 }).Keys, Is.EquivalentTo(new[] { "status" }));
        });
    }

    [Test]
    public void Comment_form_has_the_readers_messages()
    {
        var errors = Errors(new CommentValidator(), new CommentRequest { Name = "\t", Body = null });

        Assert.That(errors["name"], Is.EqualTo(new[] { CommentFieldsValidator.NameRequired }));
        Assert.That(errors["body"], Is.EqualTo(new[] { CommentFieldsValidator.BodyRequired }));
        Assert.That(CommentFieldsValidator.NameRequired, Is.EqualTo("Please enter your name here"));
        Assert.That(CommentFieldsValidator.BodyRequired, Is.EqualTo("Please enter your comment!"));
    }

    [TestCase("https://example.org/path?q=1", true)]
    [TestCase("http://example.org", true)]
    [TestCase("mailto:someone@example.org", false)]
    [TestCase("//example.org", false)]
    [TestCase("https://", false)]
    public void Comment_website_must_be_http_or_https(string website, bool valid)
    {
        var errors = Errors(new CommentValidator(), new CommentRequest { Name = "A", Body = "B", Website = website });

        Assert.That(errors.ContainsKey("website"), Is.EqualTo(!valid));
    }

    [Test]
    public void Comment_update_needs_a_status()
    {
        var errors = Errors(new CommentUpdateValidator(), new CommentUpdateRequest { Name = "A", Body = "B" });

        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "status" }));
    }

    // JSON may carry an enum as a number; one that names no member is refused like an unknown name, and null is left to
    // the rules that require a value.
    [Test]
    public void Every_enum_field_refuses_a_number_that_names_no_member()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Errors(new CommentUpdateValidator(), new CommentUpdateRequest { Name = "A", Body = "B", Status = (CommentStatus)9 }).Keys, Is.EquivalentTo(new[] { "status" }));
            Assert.That(Errors(new CommentUpdateValidator(), new CommentUpdateRequest { Name = "A", Body = "B", Status = CommentStatus.Spam }), Is.Empty);
            Assert.That(Errors(new ModerationValidator(), new ModerationRequest { Ids = [1], Action = (ModerationAction)9 }).Keys, Is.EquivalentTo(new[] { "action" }));
            Assert.That(Errors(new ModerationValidator(), new ModerationRequest { Ids = [1], Action = ModerationAction.Restore }), Is.Empty);
            Assert.That(Errors(new CommentDocumentValidator(), new CommentDocument { Article = "a", Name = "A", Body = "B", Status = (CommentStatus)(-1) }).Keys, Is.EquivalentTo(new[] { "status" }));
            Assert.That(Errors(new CommentDocumentValidator(), new CommentDocument { Article = "a", Name = "A", Body = "B" }), Is.Empty);
            Assert.That(Errors(new ArticleDocumentValidator(), new ArticleDocument { Slug = "a", Title = "T", Status = (ArticleStatus)4 }).Keys, Is.EquivalentTo(new[] { "status" }));
        });
    }

    [Test]
    public void Section_and_pull_quote_rules()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Errors(new SectionValidator(), new SectionRequest { Body = "x", Position = 0 }).Keys, Is.EquivalentTo(new[] { "position" }));
            Assert.That(Errors(new SectionValidator(), new SectionRequest { Body = "x" }), Is.Empty);
            Assert.That(Errors(new SectionOrderValidator(), new SectionOrderRequest { SectionIds = [1, 1] }).Keys, Is.EquivalentTo(new[] { "sectionIds" }));
            Assert.That(Errors(new PullQuoteValidator(), new PullQuoteRequest { Text = "Q", AfterParagraph = 2 }).Keys, Is.EquivalentTo(new[] { "afterParagraph" }));
            Assert.That(Errors(new PullQuoteValidator(), new PullQuoteRequest { Text = "Q", SectionId = 1, AfterParagraph = 0 }), Is.Empty);
        });
    }

    [TestCase("Café owners’ 2026 survey!", "cafe-owners-2026-survey")]
    [TestCase("  --Hello,   World--  ", "hello-world")]
    [TestCase("2026", "article-2026")]
    [TestCase("新闻", "article")]
    [TestCase("Ærø’s «naïve» façade", "aeros-naive-facade")]
    public void Slugs_derived_from_titles_are_valid(string title, string expected)
    {
        var slug = Slugs.FromTitle(title);

        Assert.That(slug, Is.EqualTo(expected));
        Assert.That(Slugs.IsValid(slug), Is.True);
    }

    [Test]
    public void Derived_slugs_are_at_most_80_characters_and_do_not_end_in_a_hyphen()
    {
        var slug = Slugs.FromTitle(string.Join(' ', Enumerable.Repeat("word", 40)));

        Assert.That(slug.Length, Is.LessThanOrEqualTo(80));
        Assert.That(Slugs.IsValid(slug), Is.True);
    }

    [TestCase("One.", 1)]
    [TestCase("One.\n\nTwo.", 2)]
    [TestCase("One.\r\n\r\nTwo.\n  \nThree.", 3)]
    [TestCase("One line\nsame paragraph", 1)]
    [TestCase("One.\n\n\n\nTwo.\n\n", 2)]
    public void Paragraphs_are_separated_by_a_blank_line(string body, int count)
    {
        Assert.That(PullQuoteStore.CountParagraphs(body), Is.EqualTo(count));
    }
}
