using System.Text.Json;
using FluentValidation.Internal;
using FluentValidation;

namespace Cms.Api.Http;

public static class Validation
{
    /// <summary>Error keys and messages use the camelCase JSON field names clients send.</summary>
    public static void UseJsonFieldNames()
    {
        ValidatorOptions.Global.PropertyNameResolver = (_, member, expression) => JsonName(member, expression);
        ValidatorOptions.Global.DisplayNameResolver = (_, member, expression) => JsonName(member, expression);
    }

    // FluentValidation asks for a rule's name each time the rule runs, not once: remembered per member or expression (a
    // rule's own, fixed when the validator is built), so an import's million validations do not rebuild the same names.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<object, string?> JsonNames = new();

    private static string? JsonName(System.Reflection.MemberInfo? member, System.Linq.Expressions.LambdaExpression? expression) =>
        ((object?)member ?? expression) is { } key ? JsonNames.GetOrAdd(key, static (_, rule) => NameOf(rule.member, rule.expression), (member, expression)) : null;

    private static string? NameOf(System.Reflection.MemberInfo? member, System.Linq.Expressions.LambdaExpression? expression)
    {
        if (member is not null)
        {
            return CamelCasePath(member.Name);
        }

        // Include() and RuleFor(x => x) have no member; a chain like x => x.Parent.Name still names a path.
        var chain = expression is null ? null : PropertyChain.FromExpression(expression).ToString();
        return CamelCasePath(chain);
    }

    private static string? CamelCasePath(string? name) =>
        string.IsNullOrEmpty(name) ? name : string.Join('.', name.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));

    /// <summary>
    /// FluentValidation's IsInEnum (null passes; a number that names no member fails) without its reflection: it reads
    /// the enum type's attributes for every value it checks, which was half of a comment's validation in an import.
    /// </summary>
    public static IRuleBuilderOptions<T, TEnum?> IsDefinedEnum<T, TEnum>(this IRuleBuilder<T, TEnum?> rule) where TEnum : struct, Enum =>
        rule.Must(value => value is not { } member || Enum.IsDefined(member));

    /// <summary>Validates the request body of type <typeparamref name="T"/> before the handler runs.</summary>
    public static RouteHandlerBuilder Validate<T>(this RouteHandlerBuilder builder) where T : class =>
        builder.AddEndpointFilter<ValidationFilter<T>>().ProducesValidationProblem();

    public static async Task<IDictionary<string, string[]>?> ValidateAsync<T>(IValidator<T> validator, T value, CancellationToken cancellationToken)
    {
        var result = await validator.ValidateAsync(value, cancellationToken);
        return result.IsValid ? null : result.ToDictionary();
    }

    public static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem Problem(IDictionary<string, string[]> errors) => TypedResults.ValidationProblem(
        errors,
        detail: errors.Count == 1 && errors.First().Value.Length == 1
            ? errors.First().Value[0]
            : $"Check these fields: {string.Join(", ", errors.Keys)}.",
        title: "One or more fields are not valid.");

    private sealed class ValidationFilter<T>(IValidator<T> validator) : IEndpointFilter where T : class
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var argument = context.Arguments.OfType<T>().FirstOrDefault();
            if (argument is null)
            {
                return TypedResults.Problem(Problems.BadRequest("This request needs a JSON body."));
            }

            var errors = await ValidateAsync(validator, argument, context.HttpContext.RequestAborted);
            return errors is null ? await next(context) : Problem(errors);
        }
    }
}
