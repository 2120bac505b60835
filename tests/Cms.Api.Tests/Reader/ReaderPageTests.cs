namespace Cms.Api.Tests.Reader;

public sealed class ReaderPageOffTests : ApiTest
{
    [Test]
    public async Task Outside_development_the_reader_page_is_off_unless_asked_for()
    {
        Assert.That((await Public.GetAsync("/read/anything")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}

public sealed class ReaderPageTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Cms:ReaderPage"] = "true" };

    [TestCase("/read/any-slug", "text/html")]
    [TestCase("/read/assets/reader.js", "text/javascript")]
    [TestCase("/read/assets/reader.css", "text/css")]
    public async Task Its_files_are_served_as_they_are(string path, string mediaType)
    {
        var response = await Public.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo(mediaType));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.Not.Empty);
    }
}
