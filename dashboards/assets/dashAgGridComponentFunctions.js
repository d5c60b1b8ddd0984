// Cell renderers for dash-ag-grid. They build React elements (text children, never innerHTML), so text from
// the data is escaped by React whatever it contains.
var dagcomponentfuncs = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});

function mgNavigate(href) {
    // the same client-side navigation dcc.Link does: push the address and tell dash's Location about it
    window.history.pushState({}, "", href);
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
}

dagcomponentfuncs.EntityLink = function (props) {
    var id = props.data ? props.data[props.idField] : null;
    if (props.value == null) { return null; }
    if (!id) { return React.createElement("span", null, String(props.value)); }
    var href = props.prefix + encodeURIComponent(id);
    return React.createElement("a", {
        href: href, className: "entity-link",
        onClick: function (e) { if (!e.ctrlKey && !e.metaKey) { e.preventDefault(); mgNavigate(href); } }
    }, String(props.value));
};

dagcomponentfuncs.UrlLinks = function (props) {
    if (!props.value) { return null; }
    var urls = String(props.value).split(" ").filter(function (u) { return /^https?:\/\//.test(u); });
    return React.createElement("span", null, urls.map(function (u, i) {
        var host = u.replace(/^https?:\/\//, "").split("/")[0];
        return React.createElement("a", {key: i, href: u, target: "_blank", rel: "noopener noreferrer",
                                         title: u, style: {marginRight: "0.5em"}}, host);
    }));
};
