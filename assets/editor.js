// The editing page (/edit) only: the public map's app leaves this file out.
(function () {
  // Dash sends a dropped file to the server as base64 in one request; a file too big for that
  // request is refused here, with a message, instead of failing on its way.
  var MAX_FILE_BYTES = 3000000;
  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.editor = {
    gateUpload: function (contents, filename) {
      if (!contents) {
        return [window.dash_clientside.no_update, window.dash_clientside.no_update];
      }
      var comma = contents.indexOf(",");
      var bytes = Math.floor((contents.length - comma - 1) * 3 / 4);
      if (bytes > MAX_FILE_BYTES) {
        var megabytes = (bytes / 1e6).toFixed(1);
        return [null, (filename || "The file") + ": " + megabytes + " MB is too big: at most 3 MB"];
      }
      return [{ filename: filename, contents: contents, at: Date.now() }, null];
    }
  };
})();
