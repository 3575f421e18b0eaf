using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BuildHooks.Storage.Migrations.Postgres
{
    /// <summary>A report's Idempotency-Key is kept with the build it made, unique within the project, so a report sent again reaches that build.</summary>
    public partial class IdempotencyKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "idempotency_key",
                table: "builds",
                type: "text",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_builds_project_id_idempotency_key",
                table: "builds",
                columns: new[] { "project_id", "idempotency_key" },
                unique: true,
                filter: "idempotency_key IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_builds_project_id_idempotency_key",
                table: "builds");

            migrationBuilder.DropColumn(
                name: "idempotency_key",
                table: "builds");
        }
    }
}
