// One way a screen draws and redraws. A screen's state lives in one `view` object
// ({page, data, notice, …and what the screen adds}). `draw(view)` builds the whole page from
// it once the data is loaded. `view.refresh(notice)` loads the data again and redraws;
// `view.show(data, notice)` redraws with data a command just returned. Either redraw is
// `redraw(view)` when the screen gives one — a screen whose form the practitioner is filling
// in redraws only the parts around it, so nothing typed is lost — and `draw(view)` otherwise.
// A screen never calls its own `render` again, and never redraws from data a closure kept.

/**
 * Loads a screen's data with `load(view)` and draws it into `page`; returns the view.
 * `state` adds the screen's own fields (a tab, a form). `afterRefresh(view)` runs after each
 * refresh has drawn (to put the focus back where the practitioner was). When refreshes
 * overlap, only the last one asked for is shown.
 */
export async function showView(page, { load, draw, redraw = draw, state = {}, afterRefresh = null }) {
  const view = { page, data: null, notice: null, ...state };
  let asked = 0;
  view.show = (data, notice = null) => {
    view.data = data;
    view.notice = notice;
    redraw(view);
  };
  view.refresh = async (notice = null) => {
    const mine = ++asked;
    let data = view.data;
    try {
      data = await load(view);
    } catch (error) {
      // The page stays as it was last loaded, saying why it could not load again.
      notice = { tone: 'danger', text: error.message };
    }
    if (mine !== asked) return;
    view.show(data, notice);
    afterRefresh?.(view);
  };
  view.data = await load(view);
  draw(view);
  return view;
}
