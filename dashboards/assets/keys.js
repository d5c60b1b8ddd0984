// Ctrl-Enter (Cmd-Enter) in the SQL console runs the query: the button's click is what the callback listens to.
document.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && e.target && e.target.id === "sql-input") {
        e.preventDefault();
        var run = document.getElementById("sql-run");
        if (run) { run.click(); }
    }
});
