using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BuildHooks.Storage.Migrations.Postgres
{
    /// <summary>
    /// A check that aborts its transaction: a node that reports builds from what it remembers of a project
    /// (PostgresIngestMemory) sends it ahead of its inserts, in the same round trip, and the whole batch rolls back
    /// when the project changed meanwhile. SQL has no statement that raises, so a small function does.
    /// </summary>
    public partial class IngestReadCheck : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION buildhooks_expect(ok boolean, what text) RETURNS void LANGUAGE plpgsql AS $$
                BEGIN
                    IF ok IS NOT TRUE THEN
                        RAISE EXCEPTION '% changed since this node read it', what USING ERRCODE = 'serialization_failure';
                    END IF;
                END
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION buildhooks_expect(boolean, text);");
        }
    }
}
