namespace Cms.Api.Tests.Hosting;

public sealed class OpenApiDocumentTests : ApiTest
{
    [Test]
    public async Task The_committed_document_matches_the_served_one()
    {
        var served = JsonNode.Parse(await Public.GetStringAsync("/swagger/v1/swagger.json"));
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryFiles.Path("openapi", "cms.v1.json")));

        Assert.That(JsonNode.DeepEquals(served, committed), Is.True,
            "openapi/cms.v1.json is out of date: run scripts/export-openapi.sh and commit the result.");
    }

    [Test]
    public async Task Every_operation_is_named_summarised_and_documents_its_errors()
    {
        var document = JsonNode.Parse(await Public.GetStringAsync("/swagger/v1/swagger.json"))!;
        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => (Name: $"{op.Key.ToUpperInvariant()} {path.Key}", Operation: op.Value!)))
            .ToList();

        Assert.That(operations, Has.Count.EqualTo(50));
        Assert.Multiple(() =>
        {
            foreach (var (name, operation) in operations)
            {
                Assert.That((string?)operation["operationId"], Is.Not.Empty, name);
                Assert.That((string?)operation["summary"], Is.Not.Empty, name);
                var codes = operation["responses"]!.AsObject().Select(r => r.Key).ToList();
                Assert.That(codes, Does.Contain("401"), name);
                if (operation["requestBody"] is { } body)
                {
                    Assert.That(codes, Is.SupersetOf(new[] { "400", "413", "415" }), name);
                    Assert.That(body["content"]!.AsObject().First().Value!["example"], Is.Not.Null, $"{name} has an example body");
                }
            }
        });
    }

    [Test]
    public async Task Every_query_parameter_is_camel_case_described_and_sent_only_when_filled_in()
    {
        var document = JsonNode.Parse(await Public.GetStringAsync("/swagger/v1/swagger.json"))!;
        var parameters = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().SelectMany(op => (op.Value!["parameters"]?.AsArray() ?? []).Select(p => (Where: $"{op.Key} {path.Key}", Parameter: p!))))
            .Where(p => (string?)p.Parameter["in"] == "query")
            .ToList();

        Assert.That(parameters, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var (where, parameter) in parameters)
            {
                var name = (string)parameter["name"]!;
                Assert.That(char.IsLower(name[0]), Is.True, $"{where} {name}");
                Assert.That((string?)parameter["description"], Is.Not.Empty, $"{where} {name}");
                Assert.That(parameter["example"], Is.Null, $"{where} {name}: Try it out would send an example as a real filter");
            }
        });
    }

    [Test]
    public async Task Swagger_ui_is_served_with_a_bearer_scheme()
    {
        var page = await Public.GetAsync("/swagger/index.html");
        var document = JsonNode.Parse(await Public.GetStringAsync("/swagger/v1/swagger.json"))!;

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)document["components"]!["securitySchemes"]!["Bearer"]!["scheme"], Is.EqualTo("bearer"));
        Assert.That(document["paths"]!["/api/v1/articles"]!["post"]!["security"]!.ToJsonString(), Does.Contain("Bearer"));
        Assert.That(document["paths"]!["/api/v1/articles/{article}/comments"]!["post"]!["security"]?.AsArray(), Is.Null.Or.Empty,
            "the public comment form is sent without the key, as a reader sends it");
    }
}

public sealed class SwaggerUiOffTests : ApiTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Cms:SwaggerUi:Enabled"] = "false" };

    [Test]
    public async Task Swagger_ui_can_be_turned_off_while_the_document_stays()
    {
        Assert.That((await Public.GetAsync("/swagger/index.html")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await Public.GetAsync("/swagger/v1/swagger.json")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
