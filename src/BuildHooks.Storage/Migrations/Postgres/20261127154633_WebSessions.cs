using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace BuildHooks.Storage.Migrations.Postgres
{
    /// <summary>The web interface's sessions move from the cookie into this table, so that Sign out ends one for good.</summary>
    public partial class WebSessions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "web_sessions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    key = table.Column<string>(type: "text", nullable: false),
                    ticket = table.Column<byte[]>(type: "bytea", nullable: false),
                    expires_at_ms = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_web_sessions", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_web_sessions_expires_at_ms",
                table: "web_sessions",
                column: "expires_at_ms");

            migrationBuilder.CreateIndex(
                name: "ix_web_sessions_key",
                table: "web_sessions",
                column: "key",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "web_sessions");
        }
    }
}
