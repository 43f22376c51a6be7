/** Series and bar colours: distinguishable for the common colour blindnesses (Okabe–Ito), and dashed lines too. */
export const SERIES_COLOURS = ['#5b2a86', '#d55e00', '#0072b2', '#009e73', '#cc79a7', '#e69f00'];
